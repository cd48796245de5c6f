"""Readable differences between two versions of an article, for the back office."""

import difflib
import re
from datetime import datetime
from html import unescape

from django.utils.formats import date_format
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

_BLOCK_END = re.compile(r"</(p|h2|h3|li|blockquote|figcaption)>", re.IGNORECASE)
_LINK = re.compile(r'<a\b[^>]*?\bhref="([^"]*)"[^>]*>(.*?)</a>', re.IGNORECASE | re.DOTALL)
_IMG = re.compile(r"<img\b([^>]*)>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
# Longer paragraph pairs are shown as replaced whole: word diffs grow with the square.
MAX_WORDS = 2000


def as_text(value):
    """Plain text of a field: paragraphs as lines, link targets and pictures spelled out.

    A changed link target or an added picture must show in a diff, though
    neither is text: "Amt24 ⟨https://amt24.sachsen.de⟩", "[Bild 12: Rathaus]".
    """
    if isinstance(value, list):
        return "\n".join(
            " – ".join(item) if isinstance(item, list) else str(item) for item in value
        )
    if value is None:
        return ""
    text = str(value)
    if "<" in text:
        text = _LINK.sub(lambda m: f"{m.group(2)} ⟨{m.group(1)}⟩", text)
        text = _IMG.sub(_picture_marker, text)
        text = unescape(strip_tags(_BLOCK_END.sub(lambda m: m.group(0) + "\n", text)))
    return text.strip()


def _picture_marker(match):
    attributes = dict(_ATTRIBUTE.findall(match.group(1)))
    return f" [{_('Bild')} {attributes.get('data-file', '?')}: {attributes.get('alt', '')}] "


def word_diff(old, new):
    """Old and new text as one: removed words in <del>, added ones in <ins>.

    Paragraphs are compared first and words only within a changed pair, so a
    long article costs little more than its changed paragraphs.
    """
    a = [line.strip() for line in as_text(old).split("\n")]
    b = [line.strip() for line in as_text(new).split("\n")]
    blocks = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            blocks += [escape(paragraph) for paragraph in a[i1:i2]]
        else:
            # Changed paragraphs pair up in order; what is left over was removed or added.
            pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
            paired = zip(a[i1 : i1 + pairs], b[j1 : j1 + pairs], strict=True)
            blocks += [_words(x, y) for x, y in paired]
            blocks += [f"<del>{escape(p)}</del>" for p in a[i1 + pairs : i2]]
            blocks += [f"<ins>{escape(p)}</ins>" for p in b[j1 + pairs : j2]]
    return mark_safe("<br>".join(blocks))  # noqa: S308 - every part escaped


def _words(old, new):
    a, b = old.split(), new.split()
    if len(a) + len(b) > MAX_WORDS:
        return f"<del>{escape(old)}</del> <ins>{escape(new)}</ins>"
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape(" ".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
    return " ".join(parts)


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
        "social_image": str(Image.objects.filter(pk=data["social_image"]).first() or "")
        if data.get("social_image")
        else "",
        "kind": dict(Article.Kind.choices).get(data.get("kind"), data.get("kind")),
        "status": dict(Article.Status.choices).get(data.get("status"), data.get("status")),
        "publish_at": date_format(localtime(datetime.fromisoformat(when)), "SHORT_DATETIME_FORMAT")
        if when
        else "",
        "featured": _("ja") if data.get("featured") else _("nein"),
    }
