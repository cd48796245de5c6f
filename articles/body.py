"""The article body as saved: our pictures embedded with their renditions, others removed."""

import re
from html import unescape
from urllib.parse import urlsplit

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from articles.pictures import Image
from portal.lib.images import SIZES
from portal.lib.text import FIGURE_LAYOUT

_IMG = re.compile(r"<img\b([^>]*)>")
_ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
# A figure with what is in it, or a picture outside any figure.
_FIGURE_OR_IMG = re.compile(r"<figure\b([^>]*)>(.*?)</figure>|<img\b([^>]*)>", re.DOTALL)
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

    def picture(match, sizes=SIZES["body"]):
        attributes = dict(_ATTRIBUTE.findall(match.group(1)))
        number = attributes.get("data-file", "")
        image = images.get(int(number)) if _IMAGE_ID.fullmatch(number) else None
        if image is None:
            if removed is not None:
                removed.append(foreign_picture(unescape(attributes.get("src", ""))))
            return ""
        context = {
            "image": image,
            "sizes": sizes,
            "lazy": True,
            "alt": unescape(attributes.get("alt", "")),
            "data_file": True,
            "crop": False,
        }
        # Compact, so that saving again (which re-derives it) changes nothing.
        return re.sub(r">\s+<", "><", render_to_string("includes/picture.html", context).strip())

    def figure(match):
        """A figure keeps its frame only around one of our pictures. Around anything
        else (a pasted pull quote) its content stays; a caption whose picture was
        removed goes with it. Its picture gets the renditions for its width."""
        if match.group(3) is not None:  # a picture outside any figure
            return picture(re.match(_IMG, match.group(0)))
        layout = figure_layout(match.group(1))
        inner = _IMG.sub(lambda m: picture(m, figure_sizes(layout)), match.group(2))
        if "<picture>" not in inner:
            return re.sub(r"<figcaption>.*?</figcaption>", "", inner, flags=re.DOTALL)
        attributes = "".join(f' {name}="{value}"' for name, value in layout.items())
        return f"<figure{attributes}>{inner}</figure>"

    return _FIGURE_OR_IMG.sub(figure, html)


def figure_layout(attributes):
    """A figure's alignment and size as stored: {"data-align": "left", "data-size":
    "medium"} beside the text, {} for the full width (the sanitizer has
    already dropped unknown values)."""
    given = dict(_ATTRIBUTE.findall(attributes))
    align = given.get("data-align")
    if align not in FIGURE_LAYOUT["data-align"]:
        return {}
    size = given.get("data-size")
    return {
        "data-align": align,
        "data-size": size if size in FIGURE_LAYOUT["data-size"] else "medium",
    }


def figure_sizes(layout):
    """The sizes attribute for a figure's picture: beside the text it is half or a
    third as wide, so browsers take a smaller rendition."""
    if not layout:
        return SIZES["body"]
    return SIZES[f"body-{layout['data-size']}"]


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
