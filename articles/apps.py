"""The articles app: the fragments of reader pages it draws, and their topics."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Artikel")

    def ready(self):
        from articles import fragments
        from portal.lib import pagecache

        # Topics are counted by articles' triggers (migration 0017): "front"
        # when one of the newest articles changes, "top" when one of a
        # section's newest does, "articles" for any article; scheduled ones
        # when their time comes.
        pagecache.fragment("latest-box", topics=("front",), render=fragments.latest_box)
        # Kept once per section, put under each article without that article;
        # "top" is read with every page's versions (one topic for all sections:
        # a publication renews a dozen small lists, and no page needs a second query).
        pagecache.fragment(
            "related",
            topics=("top", "sections", "pictures"),
            render=fragments.related,
            shared=lambda section_id, pk: (section_id,),
            finish=fragments.related_without,
        )
        # The same with the editor's hand-picked articles first (articles.related):
        # renewed as well when one of them changes; the picks themselves are
        # in its key, read with the article page.
        pagecache.fragment(
            "related-picked",
            topics=lambda section_id, pk, picks: (
                "top",
                "sections",
                "pictures",
                *(f"article:{pick}" for pick in picks),
            ),
            render=fragments.related_with_picks,
            shared=lambda section_id, pk, picks: (section_id, tuple(picks)),
            finish=fragments.related_with_picks_without,
        )
        pagecache.fragment(
            "vendor-articles",
            topics=("articles", "pictures"),
            render=fragments.vendor_articles,
        )
