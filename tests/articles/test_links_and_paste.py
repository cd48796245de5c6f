"""Issue 24, point 2: links and paste do what the editor meant, and the editor is told
what saving removed; our own articles are found from the link dialog."""

import io

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from articles.models import Article
from portal.lib.images import make_renditions
from portal.lib.text import normalise_href, sanitize_html
from tests.conftest import make_staff
from tests.factories import article_form, make_article, make_image, make_section

pytestmark = pytest.mark.django_db

SEARCH = "/admin/articles/article/link-suche/"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("www.it-planungsrat.de/bericht-2026", "https://www.it-planungsrat.de/bericht-2026"),
        ("bund.de", "https://bund.de"),
        ("//www.bsi.bund.de/x", "https://www.bsi.bund.de/x"),
        ("presse@bund.de", "mailto:presse@bund.de"),
        ("https://www.bsi.bund.de/", "https://www.bsi.bund.de/"),
        ("/artikel/12-digitalstrategie/", "/artikel/12-digitalstrategie/"),
        ("#teil-2", "#teil-2"),
        ("bericht-2026", None),
        ("/admin/articles/article/12/change/", None),
        ("/admin", None),
    ],
)
def test_point_2_an_address_is_stored_as_the_editor_meant_it(typed, stored):
    assert normalise_href(typed) == stored


def test_point_2_a_link_typed_without_scheme_is_saved_with_https():
    article = make_article(body='<p><a href="www.it-planungsrat.de/bericht-2026">Bericht</a></p>')

    assert '<a href="https://www.it-planungsrat.de/bericht-2026" rel="noopener' in article.body


def test_point_2_a_link_into_the_admin_keeps_its_words_but_not_its_address():
    removed = []

    html = sanitize_html('<p><a href="/admin/articles/article/3/change/">hier</a></p>', removed)

    assert "/admin/" not in html
    assert "hier" in html
    assert removed == ["Link auf „/admin/articles/article/3/change/“ (keine Adresse im Web)"]


def test_point_2_superscript_and_subscript_are_kept_and_shown_on_page_print_and_pdf(client):
    article = make_article(body="<p>Mit hohem Tempo.<sup>1</sup> Weniger CO<sub>2</sub>.</p>")

    assert "Tempo.<sup>1</sup>" in article.body
    assert "CO<sub>2</sub>" in article.body
    for url in (article.get_absolute_url(), article.get_print_url()):
        html = client.get(url).content.decode()
        assert "Tempo.<sup>1</sup>" in html
        assert "CO<sub>2</sub>" in html
    response = client.get(article.get_pdf_url())
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Tempo.1" in text.replace(" ", "")
    assert "CO2" in text.replace(" ", "")


@pytest.mark.parametrize(
    "body",
    [
        "<p>Letzter Satz.<br><br></p>",
        "<p>Letzter Satz.<br/> <br /></p><p></p><p><br></p>",
        "<p>Letzter Satz.</p><p>&nbsp;</p>",
    ],
)
def test_point_2_trailing_breaks_and_empty_paragraphs_leave_no_gap(client, body):
    article = make_article(body=body)

    assert article.body == "<p>Letzter Satz.</p>"


def test_point_2_a_pasted_tracking_pixel_is_removed_and_the_editor_is_told(editor_client, client):
    section = make_section()
    picture = make_image(alt_text="Rathaus")
    make_renditions(picture)
    body = (
        "<p>Aus der Pressemitteilung.</p>"
        '<p><img src="https://px.tracker.example/open.gif?u=7" width="1" height="1"></p>'
        f'<figure class="figure"><img src="/x.jpg" alt="" data-file="{picture.pk}"></figure>'
    )

    response = editor_client.post(
        "/admin/articles/article/add/", article_form(section, body=body), follow=True
    )

    article = Article.objects.get()
    assert "px.tracker.example" not in article.body
    assert f'data-file="{picture.pk}"' in article.body  # our own picture stays
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert (
        "Beim Speichern aus dem Text entfernt: Bild von px.tracker.example "
        "(nicht aus der Bildbibliothek)." in messages
    )
    assert "Beim Speichern aus dem Text entfernt" in response.content.decode()


def test_point_2_a_clean_save_says_nothing_was_removed(editor_client):
    response = editor_client.post(
        "/admin/articles/article/add/",
        article_form(make_section(), body="<p>Nur Text.</p>"),
        follow=True,
    )

    assert response.status_code == 200
    assert "entfernt" not in response.content.decode()


def test_point_2_the_editor_offers_superscript_and_the_portal_extension(editor_client):
    html = editor_client.get("/admin/articles/article/add/").content.decode()

    assert "&quot;Superscript&quot;" in html
    assert "js/editor-portal.js" in html
    assert SEARCH in html


# The link dialog's search


def test_point_2_the_link_search_finds_our_articles_with_date_and_address(
    editor_client, django_assert_max_num_queries
):
    published = make_article(headline="Digitalstrategie überarbeitet", kicker="Sachsen")
    for number in range(5):
        make_article(headline=f"Digitalstrategie Teil {number}")
    draft = make_article(headline="Digitalstrategie im Entwurf", status=Article.Status.DRAFT)

    with django_assert_max_num_queries(8):  # the same however many articles match
        response = editor_client.get(SEARCH, {"q": "Digitalstrategie"})

    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()["results"]}
    assert rows[published.pk]["title"] == "Sachsen: Digitalstrategie überarbeitet"
    assert rows[published.pk]["url"] == f"http://testserver{published.get_absolute_url()}"
    assert rows[published.pk]["date"]
    assert rows[published.pk]["published"] is True
    assert rows[draft.pk]["published"] is False
    assert rows[draft.pk]["note"] == "noch nicht veröffentlicht: Entwurf"


def test_point_2_the_link_search_query_count_does_not_grow_with_matches(editor_client):
    make_article(headline="Registermodernisierung")
    editor_client.get(SEARCH, {"q": "Registermodernisierung"})  # the session, read once

    with CaptureQueriesContext(connection) as one_match:
        editor_client.get(SEARCH, {"q": "Registermodernisierung"})
    for _ in range(8):
        make_article(headline="Registermodernisierung im Land")
    with CaptureQueriesContext(connection) as nine_matches:
        response = editor_client.get(SEARCH, {"q": "Registermodernisierung"})

    assert len(response.json()["results"]) == 9
    assert len(nine_matches) == len(one_match)


def test_point_2_readers_cannot_use_the_link_search(client, django_user_model):
    make_article(headline="Digitalstrategie im Entwurf", status=Article.Status.DRAFT)

    anonymous = client.get(SEARCH, {"q": "Digitalstrategie"})
    reader = django_user_model.objects.create_user("leserin", "l@example.org", "x-Passw0rt!")
    client.force_login(reader)
    logged_in = client.get(SEARCH, {"q": "Digitalstrategie"})

    for response in (anonymous, logged_in):
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
        assert b"Entwurf" not in response.content


def test_point_2_staff_without_article_rights_are_refused(client, django_user_model):
    make_article(headline="Digitalstrategie im Entwurf", status=Article.Status.DRAFT)
    client.force_login(make_staff(django_user_model, "anzeigen", "Anzeigen"))

    response = client.get(SEARCH, {"q": "Digitalstrategie"})

    assert response.status_code == 403
    assert b"Entwurf" not in response.content
