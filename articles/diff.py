"""Readable differences between two versions of an article, for the back office."""

import difflib
import re
from datetime import datetime

from django.utils.formats import date_format
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

_BLOCK_END = re.compile(r"</(p|h2|h3|li|blockquote|figcaption)>", re.IGNORECASE)


def as_text(value):
    """Plain text of a field: HTML becomes paragraphs, lists become lines."""
    if isinstance(value, list):
        return "\n".join(
            " – ".join(item) if isinstance(item, list) else str(item) for item in value
        )
    if value is None:
        return ""
    text = str(value)
    if "<" in text:
        text = strip_tags(_BLOCK_END.sub(lambda m: m.group(0) + "\n", text))
    return text.strip()


def word_diff(old, new):
    """Old and new text as one, deleted words in <del>, added words in <ins>."""
    a, b = re.split(r"(\s+)", as_text(old)), re.split(r"(\s+)", as_text(new))
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(parts).replace("\n", "<br>"))  # noqa: S308 - every part escaped


def changed_fields(old, new, labels):
    """Rows (label, diff) for the fields whose values differ, in the order of labels."""
    return [
        (label, word_diff(old.get(key), new.get(key)))
        for key, label in labels
        if as_text(old.get(key)) != as_text(new.get(key))
    ]


def readable(data):
    """A revision's data with names instead of ids, labels instead of codes."""
    from articles.models import Article, Image, Section

    when = data.get("publish_at")
    section = Section.objects.filter(pk=data.get("section")).first()
    image = (
        Image.objects.filter(pk=data.get("lead_image")).first() if data.get("lead_image") else None
    )
    return {
        **data,
        "section": str(section or ""),
        "lead_image": str(image or ""),
        "kind": dict(Article.Kind.choices).get(data.get("kind"), data.get("kind")),
        "status": dict(Article.Status.choices).get(data.get("status"), data.get("status")),
        "publish_at": date_format(localtime(datetime.fromisoformat(when)), "SHORT_DATETIME_FORMAT")
        if when
        else "",
        "featured": _("ja") if data.get("featured") else _("nein"),
    }
