"""Weiterführende Links: the link model and an article's links in the editor's order."""

from django.core.validators import URLValidator
from django.db import models
from django.db.models import OuterRef, Q
from django.db.models.functions import JSONObject
from django.utils.translation import gettext_lazy as _


class ArticleLink(models.Model):
    """A "Weitere Informationen" link under the article."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="links")
    label = models.CharField(_("Beschriftung"), max_length=200)
    url = models.URLField(
        _("Adresse"), max_length=500, validators=[URLValidator(schemes=["http", "https"])]
    )
    position = models.PositiveSmallIntegerField(_("Position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            # Rendered as a clickable link: no javascript: or data: however the row was written.
            models.CheckConstraint(condition=Q(url__regex=r"^https?://"), name="link_url_is_http")
        ]
        verbose_name = _("Weiterführender Link")
        verbose_name_plural = _("Weiterführende Links")

    def __str__(self):
        return self.label


def links_as_rows():
    """The links of the outer query's article, in order, as JSON rows: annotated as
    link_rows (ArticleQuerySet.for_page), they save link_list a query."""
    return (
        ArticleLink.objects.filter(article=OuterRef("pk"))
        .order_by("position", "id")
        .values(row=JSONObject(pk="pk", label="label", url="url", position="position"))
    )


class LinksInOrder:
    """An article's further-information links in the editor's order; Article mixes it in."""

    @property
    def link_list(self):
        """The further-information links, in their order."""
        if hasattr(self, "link_rows"):  # read with for_page()
            return [ArticleLink(article=self, **row) for row in self.link_rows]
        return list(self.links.all())

    def set_links(self, pairs):
        """Make the further-information links these (label, url) pairs, in order.

        Rows are updated in place, so a form opened before keeps matching ids.
        """
        existing = list(self.links.order_by("position", "id"))
        for position, (label, url) in enumerate(pairs):
            if position < len(existing):
                link = existing[position]
                link.label, link.url, link.position = label, url, position
                link.save(update_fields=["label", "url", "position"])
            else:
                ArticleLink.objects.create(article=self, label=label, url=url, position=position)
        ArticleLink.objects.filter(pk__in=[link.pk for link in existing[len(pairs) :]]).delete()
