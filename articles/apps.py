"""The articles app: what the page cache's content version depends on."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Artikel")

    def ready(self):
        from articles.models import Article
        from portal.lib import pagecache

        # A scheduled article reaching its time changes the lists with no write at all.
        pagecache.version_depends_on(
            lambda now: (
                Article.objects.published(at=now).order_by("-publish_at").values("publish_at")[:1]
            )
        )
