"""Revisions of an article: what one keeps, how an earlier one comes back, how two differ."""

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.diff import changed_fields, readable
from articles.models import Article, Revision

# What a revision keeps of an article: the one list that snapshots, restoring,
# the conflict check, the article form and the diffs are made from. Diffs show
# changes in this order.
REVISED_FIELDS = (
    "kicker", "headline", "teaser", "body", "kind", "section", "tags", "links",
    "lead_image", "byline", "status", "publish_at", "featured", "slug", "author",
)  # fmt: skip
# Kept, but restoring leaves them as they are: restoring old text must not
# publish or take back anything, and the article keeps its address.
NOT_RESTORED = frozenset({"status", "publish_at", "slug"})
# Kept, but not among the changes a diff shows.
NOT_COMPARED = frozenset({"slug", "author"})


def snapshot(article):
    """Every revised field as plain data: what a revision keeps."""
    return {name: _stored_value(article, name) for name in REVISED_FIELDS}


def unsaved_snapshot(article, tags, links):
    """A snapshot of an article object as edited (not saved), with its tags and links as given."""
    data = {name: _plain(getattr(article, Article._meta.get_field(name).attname))
            for name in REVISED_FIELDS if name not in ("tags", "links")}  # fmt: skip
    return {**data, "tags": list(tags), "links": [list(pair) for pair in links]}


def _stored_value(article, name):
    if name == "tags":
        return [
            item.tag.name for item in article.tagged_items.select_related("tag").order_by("id")
        ]
    if name == "links":
        return [[link.label, link.url] for link in article.links.order_by("position", "id")]
    return _plain(getattr(article, Article._meta.get_field(name).attname))


def _plain(value):
    """A value as a snapshot keeps it: times as ISO text, rows by their id."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


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

    Status and publish time stay as they are now (see NOT_RESTORED).
    """
    data = revision.data
    apply_snapshot(article, data, skip=NOT_RESTORED)
    article.save()
    article.set_tags(data["tags"])
    article.set_links(data["links"])
    return save_revision(
        article, user, _("Wiederhergestellt aus Version %(number)d") % {"number": revision.number}
    )


def apply_snapshot(article, data, skip=frozenset()):
    """Set the article's fields (not tags and links) from a snapshot; nothing is saved."""
    for name in REVISED_FIELDS:
        if name in skip or name in ("tags", "links") or name not in data:
            continue
        field = Article._meta.get_field(name)
        # What was deleted since (an author who left, a merged section, a
        # removed picture) cannot come back: keep the current one instead.
        if field.many_to_one and not _still_there(field, data[name]):
            continue
        setattr(article, field.attname, field.to_python(data[name]))


def _still_there(field, pk):
    if pk is None:
        return field.null
    return field.related_model._default_manager.filter(pk=pk).exists()


def diff_labels():
    """(field, label) for the fields diffs show, labelled as the model names them."""
    return [(name, _label(name)) for name in REVISED_FIELDS if name not in NOT_COMPARED]


def _label(name):
    field = Article._meta.get_field(name)
    if field.one_to_many:  # the links, rows of their own model
        return field.related_model._meta.verbose_name_plural
    return field.verbose_name


def compare(old, new):
    """Rows (label, diff) for the fields two snapshots differ in, for the history and conflicts."""
    return changed_fields(readable(old), readable(new), diff_labels())


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
    # Saved against the current version, even a published one: its working copy takes it.
    if cleaned.get("loaded_version") == current.version:
        return None
    published_meanwhile = current.status == Article.Status.PUBLISHED and not may_publish
    theirs = snapshot(current)
    return Conflict(
        version=current.version,
        published_meanwhile=published_meanwhile,
        revision=current.revisions.select_related("user").first(),
        diff=compare(theirs, _posted_snapshot(theirs, cleaned, posted_links)),
    )


def _posted_snapshot(stored, cleaned, posted_links):
    """The snapshot that saving the form's data would make."""
    posted = dict(stored)
    for name in REVISED_FIELDS:
        if name == "tags":
            posted[name] = list(cleaned.get("tags") or [])
        elif name == "links":
            posted[name] = posted_links
        else:
            field = Article._meta.get_field(name)
            if field.many_to_one or isinstance(field, models.DateTimeField):
                # A choice or time the form refused counts as none ...
                posted[name] = _plain(cleaned.get(name))
            elif name in cleaned:  # ... a refused text as unchanged.
                posted[name] = cleaned[name]
    return posted
