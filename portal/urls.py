from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, register_converter
from django.urls.converters import StringConverter
from django.views.static import serve

from ads.sitemaps import VendorSitemap
from articles import feeds
from articles.sitemaps import SITEMAPS, news_sitemap, robots_txt
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

# Feeds, sitemaps and robots.txt: cached until the content changes.
readers = cached_while_unchanged
SITEMAPS = {**SITEMAPS, "it-guide": VendorSitemap}

urlpatterns = [
    path("", views.home, name="home"),
    path("impressum/", views.impressum, name="impressum"),
    path("<any_legal:kind>/", views.legal, name="legal"),
    path("feed/rss/", readers(feeds.LatestArticles.as_view()), name="feed-rss"),
    path("feed/atom/", readers(feeds.LatestArticlesAtom.as_view()), name="feed-atom"),
    path(
        "rubrik/<slug:slug>/feed/rss/",
        readers(feeds.SectionArticles.as_view()),
        name="section-rss",
    ),
    path(
        "rubrik/<slug:slug>/feed/atom/",
        readers(feeds.SectionArticlesAtom.as_view()),
        name="section-atom",
    ),
    path("stichwort/<slug:slug>/feed/rss/", readers(feeds.TagArticles.as_view()), name="tag-rss"),
    path(
        "stichwort/<slug:slug>/feed/atom/",
        readers(feeds.TagArticlesAtom.as_view()),
        name="tag-atom",
    ),
    path(
        "sitemap.xml",
        readers(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path("sitemap-news.xml", readers(news_sitemap, period=3600), name="sitemap-news"),
    path(
        "sitemap-<section>.xml",
        readers(sitemap_views.sitemap, params=["p"]),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", readers(robots_txt), name="robots"),
    path("", include("articles.urls")),
    path("", include("ads.urls")),
    path("", include("subscriptions.urls")),
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

# A database that is down (restart, failover) gives a German 503 at once, not a 500.
handler500 = "portal.views.server_error"
