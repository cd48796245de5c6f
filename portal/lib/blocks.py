"""Tables, info boxes and videos in rich text: how they are stored, checked and framed.

The editor (static/js/editor-writing.js) writes them as

- ``<table>`` with a header row: ``<thead>`` of ``<th scope="col">``, then ``<tbody>``;
- ``<aside class="infobox">`` whose first child is its title (``<h3>``);
- ``<div data-video="youtube:ID" data-title="…"></div>``: a provider and an id,
  never an address. Readers' pages turn it into a consent placeholder
  (articles.writing); only after the reader's click does anything load from
  the provider, and then from its privacy-friendly host (FRAME_ORIGINS).

``normalise()`` runs inside the sanitizer (portal.lib.text.sanitize_html) on
nh3's output and brings pasted or hand-written variants into these forms:
a div that is no valid video gives up its frame (its text stays), a video
keeps nothing but its provider, id and title, an aside without our class is
unwrapped, header cells get their scope.
"""

import re
from html import escape
from html.parser import HTMLParser

# The video sites we embed, by the name stored in data-video. Ids are checked
# against ``id`` (a whole match), so no address or parameter can be smuggled in.
VIDEO_PROVIDERS = {
    "youtube": {
        "name": "YouTube",
        "id": re.compile(r"[A-Za-z0-9_-]{11}"),
        "embed": "https://www.youtube-nocookie.com/embed/{id}",
        "watch": "https://www.youtube.com/watch?v={id}",
        "privacy": "https://policies.google.com/privacy?hl=de",
    },
    "vimeo": {
        "name": "Vimeo",
        "id": re.compile(r"[0-9]{1,12}"),
        "embed": "https://player.vimeo.com/video/{id}?dnt=1",
        "watch": "https://vimeo.com/{id}",
        "privacy": "https://vimeo.com/privacy",
    },
}
# What a reader's page may frame once the reader has agreed (settings: CSP frame-src).
FRAME_ORIGINS = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")

VIDEO_TITLE_LENGTH = 200
INFOBOX_CLASS = "infobox"
HEADER_SCOPES = ("col", "row")


def parse_video(value):
    """("youtube", "dQw4w9WgXcQ") for a valid data-video value, else None."""
    provider, _sep, video_id = (value or "").partition(":")
    spec = VIDEO_PROVIDERS.get(provider)
    if spec is None or not spec["id"].fullmatch(video_id):
        return None
    return provider, video_id


def video_title(value):
    """A video's title as stored: plain text on one line, without markup characters."""
    return " ".join(re.sub(r"[<>]", "", value or "").split())[:VIDEO_TITLE_LENGTH]


def video_links(provider, video_id):
    """Where a video plays after consent, where it is on its site, and the provider's words."""
    spec = VIDEO_PROVIDERS[provider]
    return {
        "provider": provider,
        "name": spec["name"],
        "embed": spec["embed"].format(id=video_id),
        "watch": spec["watch"].format(id=video_id),
        "privacy": spec["privacy"],
    }


def attribute_allowed(tag, attribute, value):
    """For the sanitizer's attribute filter: the value these elements may keep, or None."""
    if tag == "th" and attribute == "scope":
        return value if value in HEADER_SCOPES else None
    if tag == "div" and attribute == "data-video":
        return value if parse_video(value) else None
    if tag == "div" and attribute == "data-title":
        return video_title(value)
    return value


def needs_normalising(html):
    return "<table" in html or "<div" in html or "<aside" in html


def normalise(html):
    """Tables, info boxes and videos in their stored form (see the module's docstring)."""
    if not needs_normalising(html):
        return html
    root = _parse(html)
    _normalise_children(root)
    return "".join(_serialise(child) for child in root.children)


# A small tree of nh3's (well-formed) output: enough to move a header row and
# to unwrap elements; serialised again, it goes through nh3 once more.
_VOID = {"br", "img", "hr", "source", "wbr"}


class _Element:
    def __init__(self, tag, attrs):
        self.tag, self.attrs, self.children = tag, dict(attrs), []


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Element("", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = _Element(tag, [(name, value or "") for name, value in attrs])
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(
            _Element(tag, [(name, value or "") for name, value in attrs])
        )

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def _parse(html):
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def _normalise_children(parent):
    children = []
    for child in parent.children:
        if isinstance(child, str):
            children.append(child)
            continue
        if child.tag == "div":
            video = parse_video(child.attrs.get("data-video"))
            if video:
                attrs = {"data-video": ":".join(video)}
                title = video_title(child.attrs.get("data-title"))
                if title:
                    attrs["data-title"] = title
                child.attrs, child.children = attrs, []
                children.append(child)
                continue
            _normalise_children(child)
            children.extend(child.children)  # no frame of its own: its content stays
            continue
        if child.tag == "aside" and child.attrs.get("class") != INFOBOX_CLASS:
            _normalise_children(child)
            children.extend(child.children)
            continue
        _normalise_children(child)
        if child.tag == "table":
            _header_row(child)
        children.append(child)
    parent.children = children


def _elements(parent, *tags):
    return [child for child in parent.children if not isinstance(child, str) and child.tag in tags]


def _header_row(table):
    """The first row of header cells as <thead> with scope="col"; header cells further
    down head their row (scope="row")."""
    sections = _elements(table, "thead", "tbody")
    rows = _elements(table, "tr")
    if rows:  # rows straight in the table: nh3 keeps what the parser gave
        body = _Element("tbody", {})
        body.children = rows
        table.children = [c for c in table.children if c not in rows] + [body]
        sections = _elements(table, "thead", "tbody")
    head = next((s for s in sections if s.tag == "thead"), None)
    body = next((s for s in sections if s.tag == "tbody"), None)
    if head is None and body is not None:
        first = next(iter(_elements(body, "tr")), None)
        if first is not None:
            cells = _elements(first, "th", "td")
            if cells and all(cell.tag == "th" for cell in cells):
                body.children.remove(first)
                head = _Element("thead", {})
                head.children = [first]
                table.children.insert(table.children.index(body), head)
    for section in _elements(table, "thead", "tbody"):
        for row in _elements(section, "tr"):
            for cell in _elements(row, "th"):
                cell.attrs = {"scope": "col" if section.tag == "thead" else "row"}
    if body is not None and not _elements(body, "tr"):
        table.children.remove(body)


def _serialise(node):
    if isinstance(node, str):
        return escape(node, quote=False)
    attrs = "".join(f' {name}="{escape(value)}"' for name, value in node.attrs.items())
    if node.tag in _VOID:
        return f"<{node.tag}{attrs}>"
    inner = "".join(_serialise(child) for child in node.children)
    return f"<{node.tag}{attrs}>{inner}</{node.tag}>"
