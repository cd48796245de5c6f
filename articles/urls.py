"""Addresses of the reader pages, feeds and news sitemap of articles (namespace articles)."""

from django.urls import path, register_converter

from articles import feeds
from articles.sitemaps import news_sitemap
from articles.views import article, lists, search
from portal.lib.pagecache import cached_while_unchanged as cached


class IdConverter:
    """Database ids: digits only, and few enough to fit a bigint (no overflow, no 500)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


class YearConverter(IdConverter):
    regex = "[0-9]{4}"

    def to_url(self, value):
        return f"{int(value):04d}"


class MonthConverter(IdConverter):
    regex = "0[1-9]|1[0-2]"

    def to_url(self, value):
        return f"{int(value):02d}"


register_converter(IdConverter, "id")
register_converter(YearConverter, "yyyy")
register_converter(MonthConverter, "mm")

app_name = "articles"

# What the feeds show (portal.lib.topics): the newest articles with their tags.
FRONT = ("front", "tags", "sections")


def section_topics(slug):
    return (f"section:{slug}", "tags", "sections")


def tag_topics(slug):
    return (f"tag:{slug}", "tags", "sections")


urlpatterns = [
    path("artikel/<id:pk>-<str:slug>/", article.ArticleDetailView.as_view(), name="detail"),
    path("artikel/<id:pk>-<str:slug>/druck/", article.ArticlePrintView.as_view(), name="print"),
    path("artikel/<id:pk>-<str:slug>/pdf/", article.article_pdf, name="pdf"),
    path("artikel/<id:pk>/", article.article_without_slug, name="detail-short"),
    path("vorschau/<str:token>/", article.preview_link_view, name="preview-link"),
    path("suche/", search.search_view, name="search"),
    path("rubrik/<slug:slug>/", lists.SectionView.as_view(), name="section"),
    path("stichwort/<slug:slug>/", lists.TagView.as_view(), name="tag"),
    path("archiv/", lists.ArchiveView.as_view(), name="archive"),
    path("archiv/<yyyy:year>/", lists.ArchiveYearView.as_view(), name="archive-year"),
    path("archiv/<yyyy:year>/<mm:month>/", lists.ArchiveMonthView.as_view(), name="archive-month"),
    # Feeds and the news sitemap: cached until what they show changes.
    path("feed/rss/", cached(feeds.LatestArticles.as_view(), topics=FRONT), name="feed-rss"),
    path("feed/atom/", cached(feeds.LatestArticlesAtom.as_view(), topics=FRONT), name="feed-atom"),
    path(
        "rubrik/<slug:slug>/feed/rss/",
        cached(feeds.SectionArticles.as_view(), topics=section_topics),
        name="section-rss",
    ),
    path(
        "rubrik/<slug:slug>/feed/atom/",
        cached(feeds.SectionArticlesAtom.as_view(), topics=section_topics),
        name="section-atom",
    ),
    path(
        "stichwort/<slug:slug>/feed/rss/",
        cached(feeds.TagArticles.as_view(), topics=tag_topics),
        name="tag-rss",
    ),
    path(
        "stichwort/<slug:slug>/feed/atom/",
        cached(feeds.TagArticlesAtom.as_view(), topics=tag_topics),
        name="tag-atom",
    ),
    path(
        "sitemap-news.xml",
        cached(news_sitemap, topics=("articles",), period=3600),
        name="sitemap-news",
    ),
]
