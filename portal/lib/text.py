"""Text helpers: German slugs, the rich-text allow-list and the editor's tool presets."""

import nh3
from django.utils.text import slugify

# German readers expect "ueberarbeitet", not "uberarbeitet".
_GERMAN_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"}
)


def german_slugify(value, max_length=200):
    """Slug with German transliteration, cut at a word boundary within max_length."""
    slug = slugify(str(value).translate(_GERMAN_TRANSLITERATION))
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug


# What the body of an article may contain: what the editor (BODY_EDITOR)
# produces, nothing more. Everything else is removed when the article is
# saved, so the stored HTML can be rendered as trusted. Pictures are <img>
# with data-file naming one of our Images; the model turns them into
# <picture> with renditions after this step.
ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "strong", "em", "a", "ul", "ol", "li", "blockquote",
    "figure", "figcaption", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "img": {"src", "alt", "data-file"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# The rich-text editor in the admin (django-prose-editor), configured to
# produce exactly the allow-list above.
BODY_EDITOR = {
    "extensions": {
        "Heading": {"levels": [2, 3]},
        "Bold": True,
        "Italic": True,
        # No autolink: it rewrote pasted links whose text looks like an address
        # ("hamburg.de" -> http://hamburg.de, dropping the real https://www. href).
        "Link": {
            "enableTarget": False,
            "protocols": ["http", "https", "mailto"],
            "autolink": False,
            "defaultProtocol": "https",
        },
        "BulletList": True,
        "OrderedList": True,
        "ListItem": True,
        "Blockquote": True,
        "HardBreak": True,
        "Figure": True,
        "Caption": True,
        "Image": True,
    }
}


# The text tools without headings or pictures: short descriptions, and with
# "Heading" the legal texts.
TEXT_TOOLS = ("Bold", "Italic", "Link", "BulletList", "OrderedList", "ListItem", "HardBreak")


def editor_with(*tools):
    """An editor configuration offering only ``tools`` of the article editor's (BODY_EDITOR)."""
    return {"extensions": {name: BODY_EDITOR["extensions"][name] for name in tools}}


def sanitize_html(html):
    """Reduce HTML to the allow-list: no scripts, handlers, styles or foreign URLs."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_drop_empty_title,
    ).strip()


def _drop_empty_title(tag, attribute, value):
    """The editor's link dialog writes title="" when its Titel field stays empty."""
    if attribute == "title" and not value.strip():
        return None
    return value
