"""Hand-picked related articles: the editor's choice, shown before the section's newest."""

from django.db import models
from django.db.models import OuterRef
from django.utils.translation import gettext_lazy as _


class RelatedPick(models.Model):
    """One article the editor chose to show under another ("Mehr zum Thema")."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="related_picks"
    )
    picked = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Artikel"),
    )
    position = models.PositiveSmallIntegerField(_("Position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "picked"], name="related_pick_once"),
            models.CheckConstraint(
                condition=~models.Q(article=models.F("picked")), name="related_pick_not_itself"
            ),
        ]
        verbose_name = _("Ausgewählter Artikel")
        verbose_name_plural = _("Ausgewählte Artikel zum Thema")

    def __str__(self):
        return str(self.picked_id)


def picks_in_order():
    """The ids of the outer query's picked articles, in the editor's order: annotated
    as pick_ids (ArticleQuerySet.for_page), they cost the page no query of their own."""
    return (
        RelatedPick.objects.filter(article=OuterRef("pk"))
        .order_by("position", "id")
        .values("picked_id")
    )
