"""Helpers to look at parts of a rendered page."""


def main_content(response):
    """The <main> element's HTML: the page's own content, without sidebar and footer."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]
