"""Helpers to look at parts of a rendered page."""


def main_content(response):
    """The <main> element's HTML: the page's own content, without sidebar and footer."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def warm_shared_fragments(client):
    """Open one page first, as a reader would: what every page shows around its
    content (navigation, "Aktuelle Meldungen", ad places, Plus box) is then
    cached until their topics change. A 404 page has all of it and is never
    cached itself."""
    client.get("/diese-seite-gibt-es-nicht/")
