"""Revisions of an article: what one keeps, how an earlier one comes back, how two differ."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.diff import changed_fields, readable
from articles.models import Article, Image, Revision, Section

# Field labels for diffs between versions, in the order of the form.
DIFF_LABELS = [
    ("kicker", _("Dachzeile")),
    ("headline", _("Überschrift")),
    ("teaser", _("Vorspann")),
    ("body", _("Text")),
    ("kind", _("Art")),
    ("section", _("Bereich")),
    ("tags", _("Stichwörter")),
    ("links", _("Weiterführende Links")),
    ("lead_image", _("Aufmacherbild")),
    ("byline", _("Kürzel")),
    ("status", _("Status")),
    ("publish_at", _("Veröffentlichung")),
    ("featured", _("Aufmacher")),
]


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


def compare(old, new):
    """Rows (label, diff) for the fields two snapshots differ in, for the history and conflicts."""
    return changed_fields(readable(old), readable(new), DIFF_LABELS)


@dataclass(frozen=True)
class Conflict:
    """Why an article form may not be saved as it is: someone saved or published meanwhile."""

    version: int  # the article's version now
    published_meanwhile: bool  # and this editor may not change it any more
    revision: Revision | None  # the last save, with its user
    diff: list  # rows (label, diff) from the stored version to the form's


def find_conflict(article, cleaned, posted_links, may_publish):
    """What stands against saving a form's data over ``article``; None if nothing does.

    The row stays locked until this save ends (the admin runs it in a
    transaction), so nobody can slip in between check and save.
    """
    current = Article.objects.select_for_update().get(pk=article.pk)
    published_meanwhile = current.status == Article.Status.PUBLISHED and not may_publish
    if cleaned.get("loaded_version") == current.version and not published_meanwhile:
        return None
    theirs = snapshot(current)
    mine = dict(theirs)
    for key in (
        "kicker",
        "headline",
        "teaser",
        "body",
        "kind",
        "byline",
        "featured",
        "status",
    ):
        if key in cleaned:
            mine[key] = cleaned[key]
    for key in ("section", "lead_image", "author"):
        mine[key] = cleaned[key].pk if cleaned.get(key) else None
    mine["publish_at"] = cleaned["publish_at"].isoformat() if cleaned.get("publish_at") else None
    mine["tags"] = list(cleaned.get("tags") or [])
    mine["links"] = posted_links
    return Conflict(
        version=current.version,
        published_meanwhile=published_meanwhile,
        revision=current.revisions.select_related("user").first(),
        diff=compare(theirs, mine),
    )
