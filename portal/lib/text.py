"""Text helpers: German slugs, the rich-text allow-list and the editor's tool presets."""

import re
from html.parser import HTMLParser

import nh3
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portal.lib import blocks

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
    "p", "br", "h2", "h3", "strong", "em", "sup", "sub", "a", "ul", "ol", "li", "blockquote",
    "figure", "figcaption", "img",
    # Tables, the info box and the video (portal.lib.blocks: their stored forms).
    "table", "thead", "tbody", "tr", "th", "td", "aside", "div",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"}, "ol": {"start"}, "img": {"src", "alt", "data-file"},
    "th": {"scope"}, "div": {"data-video", "data-title"},
    "figure": {"data-align", "data-size"},
}  # fmt: skip
# One class on one element: the info box (<aside class="infobox">), nothing else.
ALLOWED_CLASSES = {"aside": {blocks.INFOBOX_CLASS}}
# How a body picture stands in the text (static/js/editor-pictures.js): beside it
# on the left or right, half or a third of the column wide; without these
# attributes, the full width. Other values are dropped.
FIGURE_LAYOUT = {"data-align": {"left", "right"}, "data-size": {"medium", "small"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# The rich-text editor in the admin (django-prose-editor), configured to
# produce exactly the allow-list above.
BODY_EDITOR = {
    "extensions": {
        "Heading": {"levels": [2, 3]},
        "Bold": True,
        "Italic": True,
        # Footnote marks and formulas pasted from elsewhere ("Tempo.¹", "CO₂").
        "Superscript": True,
        "Subscript": True,
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
        # Ours (static/js/editor-writing.js): tables with a header row, the
        # info box, the two-click video, and the word count under the editor.
        "Table": True,
        "TableRow": True,
        "TableHeader": True,
        "TableCell": True,
        "InfoBox": True,
        "Video": True,
        "WritingTools": True,
        # Ours (static/js/editor-portal.js): links completed as the server does
        # (normalise_href), a search for our articles, and paste that drops
        # trailing breaks and foreign pictures and says so.
        "PortalEditing": True,
        # Ours too (static/js/editor-pictures.js): a picture beside the text, left
        # or right, half or a third wide (FIGURE_LAYOUT).
        "PortalPictures": True,
    }
}


# The text tools without headings or pictures: short descriptions, and with
# "Heading" the legal texts.
TEXT_TOOLS = (
    "Bold", "Italic", "Link", "BulletList", "OrderedList", "ListItem", "HardBreak",
    "PortalEditing",
)  # fmt: skip


def editor_with(*tools):
    """An editor configuration offering only ``tools`` of the article editor's (BODY_EDITOR)."""
    return {"extensions": {name: BODY_EDITOR["extensions"][name] for name in tools}}


def sanitize_html(html, removed=None):
    """Reduce HTML to the allow-list: no scripts, handlers, styles or foreign URLs.

    Links are completed as the editor meant them (normalise_href); a link that
    would lead nowhere loses its address, and ``removed`` (a list, if given)
    gets a German line saying so. Line breaks at the end of a block and
    empty paragraphs go: on the page they were only a gap.
    """

    def attribute_filter(tag, attribute, value):
        if attribute == "title" and not value.strip():
            return None  # the editor's link dialog writes title="" when Titel stays empty
        if tag == "figure":
            return value if value in FIGURE_LAYOUT.get(attribute, ()) else None
        if tag == "a" and attribute == "href":
            href = normalise_href(value)
            if href is None and removed is not None:
                removed.append(_("Link auf „%(href)s“ (keine Adresse im Web)") % {"href": value})
            return href
        return blocks.attribute_allowed(tag, attribute, value)

    def clean(html):
        return nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            allowed_classes=ALLOWED_CLASSES,
            url_schemes=ALLOWED_URL_SCHEMES,
            link_rel="noopener noreferrer",
            strip_comments=True,
            attribute_filter=attribute_filter,
        )

    html = clean(html or "")
    if blocks.needs_normalising(html):
        # Tables, info boxes and videos in their stored form; cleaned once
        # more, so what is stored is always nh3's own output.
        html = clean(blocks.normalise(html))
    return drop_empty_lines(html).strip()


# "www.it-planungsrat.de/bericht-2026", "bund.de", "bsi.bund.de:443/x": a host
# name with a top-level domain, then a path, query or nothing.
_BARE_HOST = re.compile(
    r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?(?::[0-9]{1,5})?(?:[/?#]|$)",
    re.IGNORECASE,
)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_MAIL_ADDRESS = re.compile(r"^[^@\s/:]+@(?:[a-z0-9-]+\.)+[a-z]{2,63}$", re.IGNORECASE)
# Where the back office lives: a link there helps no reader.
ADMIN_PREFIX = "/admin/"


def normalise_href(href):
    """The address a link in rich text gets, or None where it would lead nowhere.

    Typed without a scheme, "www.it-planungsrat.de/bericht-2026" is meant as
    https://www.it-planungsrat.de/bericht-2026, not as a path relative to the
    page (which in the back office pointed into the admin); "info@bund.de"
    becomes a mailto: link. Addresses on our own site ("/artikel/...") and
    anchors ("#teil-2") stay; other relative paths, and anything in the
    admin, have no meaning on a reader's page. Schemes are nh3's business.
    The editor does the same as it is typed (static/js/editor-portal.js).
    """
    href = href.strip()
    if href.startswith("//"):
        return "https:" + href
    if _BARE_HOST.match(href):
        return "https://" + href
    if _MAIL_ADDRESS.match(href):
        return "mailto:" + href
    if _SCHEME.match(href) or href.startswith("#"):
        return href
    path = re.split(r"[?#]", href, maxsplit=1)[0]
    if href.startswith("/") and not (path + "/").startswith(ADMIN_PREFIX):
        return href
    return None


# Breaks closing a block ("Text<br><br></p>") and paragraphs with nothing in them.
_TRAILING_BREAKS = re.compile(r"(?:\s*<br>)+\s*(</(?:p|li|h2|h3|blockquote|figcaption)>)")
_LEADING_BREAKS = re.compile(r"(<(?:p|li|h2|h3|blockquote|figcaption)>)(?:\s*<br>)+\s*")
_EMPTY_BLOCK = re.compile(r"<(p|h2|h3)>(?:\s|&nbsp;|\u00a0)*</\1>")


def drop_empty_lines(html):
    """Without breaks at the start or end of a block and without empty paragraphs."""
    html = _TRAILING_BREAKS.sub(r"\1", html)
    html = _LEADING_BREAKS.sub(r"\1", html)
    html = _EMPTY_BLOCK.sub("", html)
    return re.sub(r"^(?:\s*<br>)+|(?:<br>\s*)+$", "", html.strip())


def plain_text(html):
    """Sanitized rich text (the allow-list above) as plain text, for mail and its attachments.

    Paragraphs and headings are separated by a blank line, list items get
    "–" or their number, and a link keeps its address in brackets unless
    its text is the address.
    """
    parser = _PlainText()
    parser.feed(html or "")
    parser.close()
    text = "".join(parser.parts)
    text = "\n".join(line.rstrip() for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", text).strip()


class _PlainText(HTMLParser):
    BLOCKS = {"p", "h2", "h3", "blockquote", "figure", "figcaption"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.lists = []  # [tag, next number] of each open list
        self.links = []  # (href, where its text starts) of each open link

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.BLOCKS:
            self.parts.append("\n\n")
        elif tag == "br":
            self.parts.append("\n")
        elif tag in ("ul", "ol"):
            start = attrs.get("start") or "1"
            self.lists.append([tag, int(start) if start.isdigit() else 1])
            if len(self.lists) == 1:
                self.parts.append("\n\n")
        elif tag == "li" and self.lists:
            kind = self.lists[-1]
            marker = "–" if kind[0] == "ul" else f"{kind[1]}."
            kind[1] += 1
            self.parts.append("\n" + "   " * (len(self.lists) - 1) + marker + " ")
        elif tag == "a":
            self.links.append((attrs.get("href") or "", len(self.parts)))

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append("\n\n")
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            if not self.lists:
                self.parts.append("\n\n")
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            label = "".join(self.parts[start:]).strip()
            if href and href.removeprefix("mailto:") not in label:
                self.parts.append(f" ({href.removeprefix('mailto:')})")

    def handle_data(self, data):
        data = re.sub(r"\s+", " ", data)
        if not self.parts or self.parts[-1][-1:].isspace():
            data = data.lstrip()
        self.parts.append(data)
