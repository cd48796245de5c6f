"""Writing tools (issue 24, point 8): what search engines and social networks get of an
article, and how its tables, info boxes and videos look to readers and on paper.

The body stores a video as a provider and an id (portal.lib.blocks). Readers'
pages turn it into a placeholder that loads nothing from the video site: a
German consent text naming the provider, a link to its privacy page and a
"Video laden" button; only the click (static/js/video-consent.js) puts in
the iframe from the privacy-friendly host. Print and PDF show its title and
its address instead.
"""

import re
from html import unescape

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from portal.lib.blocks import parse_video, video_links

# What search engines show of a title and a description before they cut it;
# the admin's preview cuts at the same lengths (static/js/writing-tools.js).
SEARCH_TITLE_LENGTH = 60
SEARCH_DESCRIPTION_LENGTH = 160

_VIDEO = re.compile(r'<div data-video="([^"]*)"(?: data-title="([^"]*)")?></div>')
_TABLE = re.compile(r"<table>.*?</table>", re.DOTALL)


class SearchAndSocial:
    """Title, description and picture for search results and shared links; Article mixes it in.

    Empty fields fall back to what the article has anyway: the headline with
    its kicker, the teaser, the lead picture.
    """

    @property
    def search_title(self):
        return self.seo_title or self.title

    @property
    def search_description(self):
        return self.seo_description or self.teaser

    @property
    def social_picture(self):
        return self.social_image or self.lead_image


def for_readers(html):
    """The stored body as the article page shows it: videos behind consent, tables that
    scroll sideways inside their own frame on a phone instead of widening the page."""
    html = _VIDEO.sub(lambda match: _video(match, "articles/includes/video_consent.html"), html)
    # Focusable, so the table can be scrolled with the keyboard too.
    html = _TABLE.sub(lambda m: f'<div class="table-scroll" tabindex="0">{m.group(0)}</div>', html)
    return mark_safe(html)  # noqa: S308 - sanitized when saved, our templates escape the rest


def for_paper(html):
    """The stored body for the print page and the PDF: a video becomes its title and address."""
    return mark_safe(_VIDEO.sub(lambda m: _video(m, "articles/includes/video_paper.html"), html))  # noqa: S308


def _video(match, template):
    video = parse_video(unescape(match.group(1)))
    if video is None:
        return ""
    context = {**video_links(*video), "title": unescape(match.group(2) or "")}
    return re.sub(r">\s+<", "><", render_to_string(template, context).strip())
