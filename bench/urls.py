from django.urls import path

from bench import views
from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [path("bench/floor/", views.floor), *portal_urlpatterns]
