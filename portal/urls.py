from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from portal import views

admin.site.site_header = f"{settings.PORTAL_NAME}: Redaktion"
admin.site.site_title = settings.PORTAL_NAME
admin.site.index_title = "Übersicht"

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("articles.urls")),
    path("abo/", include("subscriptions.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG or settings.SERVE_MEDIA:
    # Uploaded pictures, served by the app until a web server or S3 takes over.
    urlpatterns.append(
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    )
