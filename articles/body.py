"""The article body as saved: our pictures embedded with their renditions, others removed."""

import re
from html import unescape
from urllib.parse import urlsplit

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from articles.pictures import Image
from portal.lib.images import SIZES

_IMG = re.compile(r"<img\b([^>]*)>")
_ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
_FIGURE = re.compile(r"<figure>(.*?)</figure>", re.DOTALL)
_IMAGE_ID = re.compile(r"[0-9]{1,18}")  # ASCII digits: "²".isdigit() is True, int("²") fails


def body_image_ids(html):
    """The ids of our Images an (already embedded) body shows."""
    ids = (dict(_ATTRIBUTE.findall(m.group(1))).get("data-file", "") for m in _IMG.finditer(html))
    return {int(pk) for pk in ids if _IMAGE_ID.fullmatch(pk)}


def embed_body_images(html, removed=None):
    """Turn the body's <img data-file="12"> into <picture> with that Image's renditions.

    Runs after sanitizing, on nh3's normalised output. Pictures that are not
    ours (no or an unknown data-file: pasted from elsewhere, or deleted) are
    removed, so readers never load from a third party; a figure left without
    a picture goes with it. ``removed`` (a list, if given) gets a German line
    for each picture removed, naming where it came from.
    """
    ids = body_image_ids(html)
    images = Image.objects.in_bulk(ids) if ids else {}

    def picture(match):
        attributes = dict(_ATTRIBUTE.findall(match.group(1)))
        number = attributes.get("data-file", "")
        image = images.get(int(number)) if _IMAGE_ID.fullmatch(number) else None
        if image is None:
            if removed is not None:
                removed.append(foreign_picture(unescape(attributes.get("src", ""))))
            return ""
        context = {
            "image": image,
            "sizes": SIZES["body"],
            "lazy": True,
            "alt": unescape(attributes.get("alt", "")),
            "data_file": True,
        }
        # Compact, so that saving again (which re-derives it) changes nothing.
        return re.sub(r">\s+<", "><", render_to_string("includes/picture.html", context).strip())

    html = _IMG.sub(picture, html)
    return _FIGURE.sub(_figure_or_its_content, html)


def _figure_or_its_content(match):
    """A figure keeps its frame only around one of our pictures. Around anything
    else (a pasted pull quote) its content stays; a caption whose picture was
    removed goes with it."""
    inner = match.group(1)
    if "<picture>" in inner:
        return match.group(0)
    return re.sub(r"<figcaption>.*?</figcaption>", "", inner, flags=re.DOTALL)


def foreign_picture(src):
    """How the editor is told about a picture that is not from our library."""
    if src.startswith("data:"):
        return _("eingebettetes Bild (nicht aus der Bildbibliothek)")
    host = urlsplit(src).hostname
    if host:
        return _("Bild von %(host)s (nicht aus der Bildbibliothek)") % {"host": host}
    return _("Bild „%(src)s“ (nicht aus der Bildbibliothek)") % {"src": src[:80]}


def removal_message(removed):
    """One German sentence for the editor about what saving took out of the text."""
    return _("Beim Speichern aus dem Text entfernt: %(items)s.") % {"items": "; ".join(removed)}
