"""Addresses of the IT-Guide and the ad frames (namespace ads)."""

from django.urls import path, re_path

from ads import views

app_name = "ads"

urlpatterns = [
    path("it-guide/", views.directory, name="directory"),
    path("it-guide/<slug:slug>/", views.vendor_detail, name="vendor"),
    path("anzeige/platz/<slug:name>/", views.slot, name="slot"),
    # Ids that fit a bigint only: a longer number is a 404, not a database error.
    re_path(r"^anzeige/klick/(?P<pk>[0-9]{1,18})/$", views.click, name="click"),
]
