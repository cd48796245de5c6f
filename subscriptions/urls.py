from django.urls import path

from subscriptions import views

app_name = "subscriptions"

urlpatterns = [
    path("", views.manage, name="manage"),
    path("kuendigen/", views.cancel, name="cancel"),
]
