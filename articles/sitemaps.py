"""Sitemaps for search engines: articles (paged), sections, tags, pages, and news."""

import datetime

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Section, Tag

# Google News lists articles of the last two days, at most a thousand.
NEWS_HOURS, NEWS_LIMIT = 48, 1000


class ArticleSitemap(Sitemap):
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .only("pk", "slug", "updated_at", "publish_at")
            .order_by("-publish_at", "-id")
        )

    def lastmod(self, article):
        return article.modified_at

    def get_latest_lastmod(self):
        """For the index: the newest lastmod, from two index lookups, not every article.

        The newest publish time counts too: a scheduled article appearing
        changes the sitemap without anyone saving it.
        """
        visible = Article.objects.published()
        saved = visible.order_by("-updated_at").values_list("updated_at", flat=True).first()
        appeared = visible.order_by("-publish_at").values_list("publish_at", flat=True).first()
        return max(filter(None, [saved, appeared]), default=None)


class SectionSitemap(Sitemap):
    def items(self):
        return Section.objects.all()


class TagSitemap(Sitemap):
    limit = 5000

    def items(self):
        """Tags with at least one article readers can see."""
        visible = Article.objects.published().filter(tagged_items__tag=OuterRef("pk"))
        return Tag.objects.filter(Exists(visible)).order_by("name")


class PageSitemap(Sitemap):
    def items(self):
        return ["home", "articles:archive"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "artikel": ArticleSitemap,
    "bereiche": SectionSitemap,
    "stichwoerter": TagSitemap,
    "seiten": PageSitemap,
}


def news_sitemap(request):
    """Google News sitemap: what appeared in the last 48 hours."""
    since = timezone.now() - datetime.timedelta(hours=NEWS_HOURS)
    articles = (
        Article.objects.published()
        .filter(publish_at__gte=since)
        .only("pk", "slug", "kicker", "headline", "publish_at")
        .order_by("-publish_at")[:NEWS_LIMIT]
    )
    context = {
        "articles": articles,
        "base": request.build_absolute_uri("/").rstrip("/"),
        "publication": settings.PORTAL_NAME,
    }
    return render(request, "articles/sitemap_news.xml", context, content_type="application/xml")
