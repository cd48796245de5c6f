"""Revisions of an article: what one keeps, how an earlier one comes back, how two differ."""

from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from articles.diff import changed_fields, readable
from articles.models import Article

# What a revision keeps of an article: the one list that snapshots, restoring,
# the conflict check, the article form and the diffs are made from. Diffs show
# changes in this order.
REVISED_FIELDS = (
    "kicker", "headline", "teaser", "body", "kind", "section", "tags", "links",
    "lead_image", "byline", "status", "publish_at", "featured", "slug", "author",
    "seo_title", "seo_description", "social_image",
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


def moment(value):
    """ "8.12.2026, 14:05:31 Uhr" in Berlin time: how revision times are written."""
    local = timezone.localtime(value)
    return _("%(date)s, %(time)s Uhr") % {
        "date": date_format(local, "j.n.Y"),
        "time": date_format(local, "H:i:s"),
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

    Status and publish time stay as they are now (see NOT_RESTORED).
    """
    data = revision.data
    apply_snapshot(article, data, skip=NOT_RESTORED)
    article.save()
    article.set_tags(data["tags"])
    article.set_links(data["links"])
    return save_revision(
        article,
        user,
        _("Wiederhergestellt aus Version %(number)d vom %(when)s")
        % {"number": revision.number, "when": moment(revision.created_at)},
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
