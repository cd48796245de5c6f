"""Stichwörter: the tag models, and an article's tags in the order the editor typed them."""

from django.db import IntegrityError, models, transaction
from django.db.models import OuterRef
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.models import ItemBase, TagBase

from portal.lib.text import german_slugify


class Tag(TagBase):
    """A Stichwort. Own model so that slugs read "oeffentliche-verwaltung"."""

    # ASCII only (taggit allows unicode), so every slug fits the tag URL.
    # Always made from the name when the tag is created, then kept stable.
    slug = models.SlugField(_("Kurzname (URL)"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("Stichwort")
        verbose_name_plural = _("Stichwörter")
        ordering = ["name"]

    def slugify(self, tag, i=None):
        slug = german_slugify(tag, max_length=90) or "stichwort"
        return slug if i is None else f"{slug}-{i}"

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})


class TaggedArticle(ItemBase):
    """Tags of an article with real foreign keys, so tag pages join on indexes."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_articles")
    content_object = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = _("Stichwort-Zuordnung")
        verbose_name_plural = _("Stichwort-Zuordnungen")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_tag")
        ]


def tags_as_rows():
    """The tags of the outer query's article, in order, as JSON rows: annotated as
    tag_rows (ArticleQuerySet.for_page), they save ordered_tags a query."""
    return (
        TaggedArticle.objects.filter(content_object=OuterRef("pk"))
        .order_by("id")
        .values(row=JSONObject(pk="tag_id", name="tag__name", slug="tag__slug"))
    )


class TagsInOrder:
    """An article's Stichwörter in the order the editor typed them; Article mixes it in."""

    @property
    def ordered_tags(self):
        """Tags in the order they were given ("Politik, Sachsen, ..."), not alphabetically."""
        if hasattr(self, "tag_rows"):  # read with for_page()
            return [Tag(**row) for row in self.tag_rows]
        return [item.tag for item in self.tagged_items.order_by("id").select_related("tag")]

    def set_tags(self, names):
        """Give the article these Stichwörter, in this order.

        taggit's set() keeps no order, and the page lists tags as the editor
        typed them; so when the order differs, the links are written anew.
        """
        wanted = []
        for name in names:
            tag = Tag.objects.filter(name__iexact=name).first()
            if tag is None:
                try:
                    with transaction.atomic():
                        tag = Tag.objects.create(name=name)
                except IntegrityError:  # created by a save running at the same moment
                    tag = Tag.objects.get(name__iexact=name)
            if tag.pk not in wanted:
                wanted.append(tag.pk)
        current = list(self.tagged_items.order_by("id").values_list("tag_id", flat=True))
        if current != wanted:
            self.tagged_items.all().delete()
            TaggedArticle.objects.bulk_create(
                TaggedArticle(content_object=self, tag_id=tag_id) for tag_id in wanted
            )
