"""Two editors saved the same article: settled field by field, never by overwriting blindly.

A form carries the version it was opened on (``loaded_version``) and a
fingerprint of every revised field as it was then (``loaded_fields``). When a
save finds a newer version, each field that differs between the stored
article ("theirs") and the form ("mine") is shown with both values and a
choice: "Meine übernehmen" or keep the other's. The fingerprint tells who
changed what since the form was opened, which decides the preselected choice:
a field only they changed keeps theirs, one only I changed takes mine, one
both changed waits for the editor to choose. Saving again applies the choices.

A published article is edited in its working copy (articles.review): there
"theirs" is the copy, and the fingerprint also carries which copy at which of
its saves the form was opened on (``"c"``, WorkingCopy.mark), so two people
drafting the same change are settled the same way.
"""

import copy as shallow
import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django import forms
from django.db import models
from django.utils.translation import gettext as _

from articles.body import embed_body_images
from articles.diff import as_text, readable, word_diff
from articles.models import Article, Revision
from articles.review import WorkingCopy, uses_working_copy, working_copy_of
from articles.revisions import (
    REVISED_FIELDS,
    _label,
    _plain,
    apply_snapshot,
    compare,
    moment,
    snapshot,
)
from portal.lib.text import sanitize_html

MINE, THEIRS = "mine", "theirs"
# Shown as one diff (struck: theirs, underlined: mine) rather than side by side.
LONG_TEXTS = frozenset({"body"})


def _normal(name, value):
    """A field's value as compared: the body as saving would store it, times in UTC."""
    if name == "body" and value:
        return embed_body_images(sanitize_html(value))
    if name == "publish_at" and value:
        return datetime.fromisoformat(value).astimezone(UTC).isoformat()
    return value


def _digest(name, value):
    encoded = json.dumps(_normal(name, value), sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()[:16]


def fingerprint(article):
    """What ``loaded_fields`` carries: the version and a digest of each field as opened
    (of a published article: as its working copy has them, which the form shows)."""
    copy = working_copy_of(article) if uses_working_copy(article) else None
    data = {**snapshot(article), **copy.data} if copy else snapshot(article)
    return json.dumps(
        {
            "v": article.version,
            "c": copy.mark if copy else None,
            **{name: _digest(name, data[name]) for name in REVISED_FIELDS},
        },
        separators=(",", ":"),
    )


@dataclass
class Stored:
    """What a save is settled against ("theirs"): the article row, or its working copy."""

    article: Article  # with theirs' values (for a copy: in memory only)
    data: dict  # a snapshot
    copy: WorkingCopy | None
    mark: str | None  # the copy's, as fingerprints carry it

    @classmethod
    def of(cls, current):
        """``current`` is the locked article row; its working copy is locked too."""
        copy = None
        if uses_working_copy(current):
            copy = WorkingCopy.objects.select_for_update().filter(article=current).first()
        if copy is None:
            return cls(current, snapshot(current), None, None)
        data = {**snapshot(current), **copy.data}
        data.pop("vendors", None)
        article = shallow.copy(current)
        apply_snapshot(article, data, skip={"status"})
        return cls(article, data, copy, copy.mark)

    def last_save(self, user):
        """(revision or None, who, when) of the save this one meets."""
        if self.copy is not None:
            return None, _who(self.copy.updated_by, user), moment(self.copy.updated_at)
        revision = self.article.revisions.select_related("user").first()
        at = revision.created_at if revision else self.article.updated_at
        return revision, _who(revision and revision.user, user), moment(at)


def _read(text):
    try:
        base = json.loads(text or "")
    except ValueError:
        return None
    return base if isinstance(base, dict) else None


@dataclass
class FieldChoice:
    """One field stored ("theirs") and in the form ("mine") differently, and what to keep."""

    name: str
    label: str
    mine_changed: bool
    theirs_changed: bool
    theirs: str  # as text, for people
    mine: str
    diff: str  # theirs struck, mine underlined
    choice: str | None  # MINE, THEIRS or None: not chosen yet

    @property
    def default(self):
        if self.theirs_changed and not self.mine_changed:
            return THEIRS
        if self.mine_changed and not self.theirs_changed:
            return MINE
        return None

    @property
    def long(self):
        return self.name in LONG_TEXTS


@dataclass
class Conflict:
    """Why an article form was not saved: someone saved or published meanwhile."""

    version: int  # the article's version now
    published_meanwhile: bool  # and this editor may not change it any more
    revision: Revision | None  # the last save, with its user
    by: str  # who saved it, as the newsroom names them
    at: str  # when, with seconds
    fields: list = field(default_factory=list)  # FieldChoice, in the diffs' order
    diff: list = field(default_factory=list)  # rows (label, diff) stored -> form
    unresolved: bool = False  # the editor saved again without choosing for every field
    of_draft: bool = False  # theirs is the draft of a change to the published article


def settle(form, cleaned):
    """Check a form's save against the stored article; apply the editor's choices.

    Raises ValidationError (and leaves ``form.conflict`` set) when someone saved
    meanwhile or a field both changed still waits for a choice. Otherwise
    writes the kept values of the others into ``cleaned`` and returns.
    The row (and a published article's working copy) stays locked until this
    save ends (the admin runs it in a transaction), so nobody can slip in
    between check and save.
    """
    article = form.instance
    current = Article.objects.select_for_update().get(pk=article.pk)
    # Saved over the version just read, whatever the form's copy said.
    article.version = current.version
    stored = Stored.of(current)
    # A save into the working copy builds on the copy just locked (articles.review).
    article._working_copy_cache = stored.copy
    theirs = stored.data
    mine = posted_snapshot(theirs, cleaned, form.posted_links())
    if not mine.get("slug"):  # left empty: the address stays (or follows the headline)
        mine["slug"] = theirs["slug"]
    base = _read(cleaned.get("loaded_fields"))
    # A copy saved since the form was opened, or since the last conflict shown.
    # (A form without a fingerprint cannot tell; its article version still counts.)
    copy_saved = stored.copy is not None and base is not None and _seen(base) != stored.mark
    stale = cleaned.get("loaded_version") != current.version or copy_saved
    # Opened before it went live by someone who may not publish: told once; saving
    # again makes a draft of the change (articles.review), the live version stays.
    published_meanwhile = (
        stale
        and stored.copy is None
        and current.status == Article.Status.PUBLISHED
        and not form.can_publish()
    )
    choices = _field_choices(base, stale, current, stored, mine, form.data)
    unresolved = [choice for choice in choices if choice.choice is None]
    if not (stale or published_meanwhile or unresolved):
        _apply(form, cleaned, stored, choices)
        return
    revision, by, at = stored.last_save(form.user)
    form.conflict = Conflict(
        version=current.version,
        published_meanwhile=published_meanwhile,
        revision=revision,
        by=by,
        at=at,
        fields=choices,
        diff=compare(theirs, mine),
        unresolved=bool(unresolved) and not stale,
        of_draft=stored.copy is not None,
    )
    # The next save settles against this version (and copy); the fingerprint
    # stays the one of the version first opened, so who changed what stays known.
    form.data = form.data.copy()
    form.data[form.add_prefix("loaded_version")] = current.version
    if base is not None and stored.copy is not None:
        form.data[form.add_prefix("loaded_fields")] = json.dumps(
            {**base, "seen": stored.mark}, separators=(",", ":")
        )
    if published_meanwhile:
        raise forms.ValidationError(
            _(
                "Dieser Artikel wurde inzwischen veröffentlicht. Ihre Fassung ist nicht "
                "gespeichert, steht aber weiter im Formular. Unten sehen Sie, was sie von "
                "der veröffentlichten unterscheidet. Wenn Sie erneut speichern, wird sie "
                "ein Entwurf der Änderung: Die veröffentlichte Fassung bleibt, bis die "
                "Chefredaktion ihn veröffentlicht."
            ),
            code="published_meanwhile",
        )
    raise forms.ValidationError(
        _("Nicht gespeichert: Bitte oben für jedes Feld wählen, welche Fassung gilt."),
        code="conflict",
    )


def _seen(base):
    """The working copy (mark) this form last met: when opened, or in the conflict shown."""
    return base.get("seen", base.get("c"))


def _field_choices(base, stale, current, stored, mine, data):
    """A FieldChoice for each field that differs between the stored article and the form.

    Without a fingerprint (a form from before it existed) nothing is known of
    who changed what: each differing field waits for a choice, unless nobody
    saved since the form was opened.
    """
    theirs = stored.data
    untouched = (
        base is not None
        and base.get("v") == current.version
        and (stored.copy is None or base.get("c") == stored.mark)
    )
    if (base is None and not stale) or untouched:
        # Nobody saved since the form was opened: what differs is the editor's.
        base = {name: _digest(name, theirs[name]) for name in REVISED_FIELDS}
    unknown = base is None or not all(name in base for name in REVISED_FIELDS)
    base = base or {}
    differing = [
        name for name in REVISED_FIELDS if _normal(name, mine[name]) != _normal(name, theirs[name])
    ]
    if not differing:
        return []
    shown_theirs, shown_mine = readable(theirs), readable(mine)
    choices = []
    for name in differing:
        posted = data.get(f"keep-{name}")
        choice = FieldChoice(
            name=name,
            label=str(_label(name)),
            mine_changed=unknown or _digest(name, mine[name]) != base.get(name),
            theirs_changed=unknown or _digest(name, theirs[name]) != base.get(name),
            theirs=as_text(shown_theirs.get(name)),
            mine=as_text(shown_mine.get(name)),
            diff=word_diff(shown_theirs.get(name), shown_mine.get(name)),
            choice=None,
        )
        choice.choice = posted if posted in (MINE, THEIRS) else choice.default
        choices.append(choice)
    return choices


def _apply(form, cleaned, stored, choices):
    """Where the other's value is kept, the form's gives way to it."""
    for choice in choices:
        if choice.choice != THEIRS:
            continue
        if choice.name == "tags":
            cleaned["tags"] = list(stored.data["tags"])
        elif choice.name == "links" and stored.copy is not None:
            # The draft is saved from the posted rows (form.posted_links): the copy's.
            form.data = link_rows(form.data, "links", stored.article.pk, stored.data["links"])
        elif choice.name == "links":
            # The inline's rows are replaced by the stored ones (ArticleAdmin.get_formset_kwargs).
            form.instance.keep_stored_links = True
        else:
            cleaned[choice.name] = getattr(stored.article, choice.name)


def _who(person, user):
    if person is None:
        return _("jemand anderem")
    if user is not None and person.pk == user.pk:
        return _("Ihnen selbst (in einem anderen Fenster)")
    return person.get_full_name() or person.get_username()


def stored_link_rows(data, article, prefix):
    """The inline's POST data with the article's stored links: saving changes none of them."""
    rows = [
        (link.pk, link.label, link.url, link.position)
        for link in article.links.order_by("position", "id")
    ]
    return _with_rows(data, prefix, article.pk, rows, initial=len(rows))


def link_rows(data, prefix, article_pk, links):
    """The inline's POST data with these links ([label, url] pairs) as new rows."""
    rows = [("", label, url, n) for n, (label, url) in enumerate(links)]
    return _with_rows(data, prefix, article_pk, rows, initial=0)


def _with_rows(data, prefix, article_pk, rows, initial):
    kept = data.copy()
    for key in [k for k in kept if k.startswith(f"{prefix}-") and k[len(prefix) + 1].isdigit()]:
        del kept[key]
    for n, (pk, label, url, position) in enumerate(rows):
        kept[f"{prefix}-{n}-id"] = str(pk)
        kept[f"{prefix}-{n}-article"] = str(article_pk)
        kept[f"{prefix}-{n}-label"] = label
        kept[f"{prefix}-{n}-url"] = url
        kept[f"{prefix}-{n}-position"] = str(position)
    kept[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
    kept[f"{prefix}-INITIAL_FORMS"] = str(initial)
    return kept


def posted_snapshot(stored, cleaned, posted_links):
    """The snapshot that saving the form's data would make."""
    posted = dict(stored)
    for name in REVISED_FIELDS:
        if name == "tags":
            posted[name] = list(cleaned.get("tags") or [])
        elif name == "links":
            posted[name] = posted_links
        else:
            model_field = Article._meta.get_field(name)
            if model_field.many_to_one or isinstance(model_field, models.DateTimeField):
                # A choice or time the form refused counts as none ...
                posted[name] = _plain(cleaned.get(name))
            elif name in cleaned:  # ... a refused text as unchanged.
                posted[name] = cleaned[name]
    return posted
