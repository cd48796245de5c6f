"""The site's addresses: its own pages and sitemaps, each app's URLs, the back office."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, register_converter
from django.urls.converters import StringConverter
from django.views.static import serve

from ads.sitemaps import VendorSitemap
from articles.sitemaps import SITEMAPS
from portal import views
from portal.lib.pagecache import cached_while_unchanged
from portal.models import LegalText

admin.site.site_header = f"{settings.PORTAL_NAME}: Redaktion"
admin.site.site_title = settings.PORTAL_NAME
admin.site.index_title = "Übersicht"


class LegalKindConverter(StringConverter):
    """Only the legal texts' own addresses: /datenschutz/, /barrierefreiheit/, /agb/."""

    regex = "|".join(LegalText.Kind.values)


register_converter(LegalKindConverter, "any_legal")

# Sitemaps of all apps and robots.txt: cached until what they list changes.
cached = cached_while_unchanged
SITEMAP_TOPICS = ("articles", "sections", "tags", "itguide", "site")
SITEMAPS = {**SITEMAPS, "it-guide": VendorSitemap}

urlpatterns = [
    path("", views.home, name="home"),
    path("impressum/", views.impressum, name="impressum"),
    path("<any_legal:kind>/", views.legal, name="legal"),
    path(
        "sitemap.xml",
        cached(sitemap_views.index, topics=SITEMAP_TOPICS),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path("robots.txt", cached(views.robots_txt), name="robots"),
    path("", include("articles.urls")),
    path("", include("ads.urls")),
    path("", include("subscriptions.urls")),
    # After the apps: articles' sitemap-news.xml would match here too.
    path(
        "sitemap-<section>.xml",
        cached(sitemap_views.sitemap, params=["p"], topics=SITEMAP_TOPICS),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("admin/", admin.site.urls),
]


def media(request, path):
    """Uploaded pictures, served by the app until a web server or S3 takes over.

    The folder is read per request, as the storage reads it: URLs are often
    loaded before MEDIA_ROOT is final (tests move it to a folder of their own).
    """
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.DEBUG or settings.SERVE_MEDIA:
    urlpatterns.append(path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media))

# A database that is down (restart, failover) gives a German 503 at once, not a 500.
handler500 = "portal.views.server_error"
