"""Revisions of an article: what one keeps, and how an earlier one comes back."""

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Image, Section


def snapshot(article):
    """Every content field as plain data: what a revision keeps."""
    return {
        "section": article.section_id,
        "kind": article.kind,
        "kicker": article.kicker,
        "headline": article.headline,
        "slug": article.slug,
        "teaser": article.teaser,
        "body": article.body,
        "byline": article.byline,
        "author": article.author_id,
        "lead_image": article.lead_image_id,
        "featured": article.featured,
        "status": article.status,
        "publish_at": article.publish_at.isoformat() if article.publish_at else None,
        "tags": [
            item.tag.name for item in article.tagged_items.select_related("tag").order_by("id")
        ],
        "links": [[link.label, link.url] for link in article.links.order_by("position", "id")],
    }


def keep_original(article):
    """Before the first change to an article that has no revisions yet (imported,
    generated, or older than revisions), keep its stored state as version 1."""
    if article.pk and not article.revisions.exists():
        stored = Article.objects.get(pk=article.pk)
        save_revision(stored, comment=_("Ausgangsstand"))


def save_revision(article, user=None, comment=""):
    """Keep the article as it is now (call after tags and links are saved)."""
    last = article.revisions.aggregate(last=models.Max("number"))["last"] or 0
    return article.revisions.create(
        number=last + 1, user=user, comment=comment, data=snapshot(article)
    )


def restore(article, revision, user=None):
    """Bring back the content of an earlier revision, as a new revision.

    Status and publish time stay as they are now: restoring old text must
    not publish or take back anything.
    """
    data = revision.data
    for field in ("kicker", "headline", "teaser", "body", "kind", "byline", "featured"):
        setattr(article, field, data[field])
    # What was deleted since (an author who left, a merged section, a
    # removed picture) cannot come back: keep the current one instead.
    if Section.objects.filter(pk=data["section"]).exists():
        article.section_id = data["section"]
    if data["author"] is None or get_user_model().objects.filter(pk=data["author"]).exists():
        article.author_id = data["author"]
    if data["lead_image"] is None or Image.objects.filter(pk=data["lead_image"]).exists():
        article.lead_image_id = data["lead_image"]
    article.save()
    article.set_tags(data["tags"])
    article.set_links(data["links"])
    return save_revision(
        article, user, _("Wiederhergestellt aus Version %(number)d") % {"number": revision.number}
    )
