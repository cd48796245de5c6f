"""Druckversion and PDF: the article alone, for paper and for filing."""

import contextlib
import datetime
import io

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test import override_settings
from pypdf import PdfReader

from articles.models import Article
from portal.lib.images import make_renditions
from portal.lib.pdf import LocalFetcher
from tests.factories import make_article, make_image, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def sachsen():
    image = make_image(caption="Das Kabinett in Dresden.", credit="Staatskanzlei")
    make_renditions(image)
    return make_article(
        section=make_section("Politik", slug="politik"),
        kicker="Sachsen",
        headline="Digitalstrategie überarbeitet",
        teaser="Die Digitalisierungsstrategie des Freistaats Sachsen liegt jetzt vor.",
        body='<p>Erster Absatz mit <a href="https://www.amt24.sachsen.de">Amt24</a>.</p>'
        + "<p>Ein langer Absatz über Verwaltungsdigitalisierung.</p>" * 40,
        byline="ba",
        lead_image=image,
        publish_at=datetime.datetime(2019, 7, 3, 9, tzinfo=datetime.UTC),
        tags=["Politik", "Sachsen", "OZG"],
        links=[("Weitere Informationen (Deep Link)", "http://www.smwa.sachsen.de")],
    )


def pdf_of(response):
    return PdfReader(
        io.BytesIO(
            b"".join(response.streaming_content) if response.streaming else response.content
        )
    )


def all_text(reader):
    return "\n".join(page.extract_text() for page in reader.pages)


# Druckversion


def test_the_print_page_has_the_whole_article_and_where_it_came_from(client, sachsen):
    response = client.get(sachsen.get_print_url())

    html = response.content.decode()
    assert response.status_code == 200
    for text in [
        "Verwaltung Digital",
        "Sachsen:</span>",
        "Digitalstrategie überarbeitet",
        "[3.7.2019]",
        "Die Digitalisierungsstrategie des Freistaats Sachsen liegt jetzt vor.",
        "Erster Absatz mit",
        '<span class="byline">(ba)</span>',
        '<span class="url">http://www.smwa.sachsen.de</span>',
        "Stichwörter: Politik, Sachsen, OZG",
        "Das Kabinett in Dresden.",
        "Bild: Staatskanzlei",
        f"Quelle: http://testserver{sachsen.get_absolute_url()}",
        "Gedruckt am",
    ]:
        assert text in html, text
    assert sachsen.lead_image.print_src in html  # the widest rendition, for paper


def test_the_print_page_has_nothing_around_the_article(client, sachsen):
    html = client.get(sachsen.get_print_url()).content.decode()

    for absent in [
        "site-nav",
        "Aktuelle Meldungen",
        "Anzeige",
        "Aboverwaltung",
        "layout__sidebar",
    ]:
        assert absent not in html
    assert '<meta name="robots" content="noindex">' in html


def test_the_print_page_prints_only_when_asked(client, sachsen):
    html = client.get(sachsen.get_print_url()).content.decode()

    assert '<button type="button" data-print>Drucken</button>' in html
    assert "js/print-button.js" in html
    assert "onload" not in html and "window.print" not in html


def test_the_article_page_offers_print_pdf_and_mail_in_the_reference_order(client, sachsen):
    html = client.get(sachsen.get_absolute_url()).content.decode()

    order = [html.index(t) for t in (">Druckversion<", ">PDF<", ">Link mailen<")]
    assert order == sorted(order)
    assert f'href="{sachsen.get_pdf_url()}"' in html


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.REVIEW, "scheduled"])
def test_hidden_articles_have_no_print_page_or_pdf(client, status):
    if status == "scheduled":
        article = make_article(
            publish_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
        )
    else:
        article = make_article(status=status)

    assert client.get(article.get_print_url()).status_code == 404
    assert client.get(article.get_pdf_url()).status_code == 404


def test_an_old_slug_leads_to_the_current_print_page_and_pdf(client, sachsen):
    assert client.get(f"/artikel/{sachsen.pk}-alt/druck/")["Location"] == sachsen.get_print_url()
    assert client.get(f"/artikel/{sachsen.pk}-alt/pdf/")["Location"] == sachsen.get_pdf_url()


def test_the_print_page_needs_few_queries(client, sachsen, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get(sachsen.get_print_url())


# PDF


def test_the_pdf_is_a_download_named_after_the_article(client, sachsen):
    response = client.get(sachsen.get_pdf_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="sachsen-digitalstrategie-ueberarbeitet.pdf"'
    )


def test_the_pdf_reads_like_the_article_with_page_numbers(client, sachsen):
    reader = pdf_of(client.get(sachsen.get_pdf_url()))
    text = all_text(reader)
    pages = len(reader.pages)

    assert pages >= 2
    first = reader.pages[0].extract_text()
    assert "Digitalstrategie überarbeitet" in first
    assert "Die Digitalisierungsstrategie des Freistaats Sachsen" in first
    assert f"Seite 1 von {pages}" in first
    assert f"Seite {pages} von {pages}" in reader.pages[-1].extract_text()
    assert "(ba)" in text
    assert f"http://testserver{sachsen.get_absolute_url()}" in first  # in the page margin
    assert "http://www.smwa.sachsen.de" in text
    assert "(https://www.amt24.sachsen.de)" in text  # links written out


def test_the_pdf_carries_its_metadata_and_is_tagged_for_screen_readers(client, sachsen):
    reader = pdf_of(client.get(sachsen.get_pdf_url()))
    root = reader.trailer["/Root"]

    assert reader.metadata.title == "Sachsen: Digitalstrategie überarbeitet"
    assert reader.metadata.author == "ba"
    assert reader.metadata.subject.startswith("Die Digitalisierungsstrategie")
    assert reader.metadata["/CreationDate"].startswith("D:20190703")
    assert root["/Lang"] == "de"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert "pdfuaid:part" in xmp


def test_the_pdf_embeds_its_fonts_and_the_picture(client, sachsen):
    reader = pdf_of(client.get(sachsen.get_pdf_url()))
    page = reader.pages[0]
    resources = page["/Resources"]

    fonts = [
        font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        for font in resources["/Font"].values()
    ]
    assert fonts and all("/FontFile2" in descriptor for descriptor in fonts)
    images = [x for x in resources["/XObject"].values() if x.get_object()["/Subtype"] == "/Image"]
    assert images


def test_the_pdf_is_rendered_once_per_version_and_again_after_a_change(client, sachsen):
    first = client.get(sachsen.get_pdf_url())
    second = client.get(sachsen.get_pdf_url())

    assert (first["X-PDF-Cache"], second["X-PDF-Cache"]) == ("miss", "hit")
    assert first["ETag"] == second["ETag"]

    sachsen.headline = "Digitalstrategie erneut überarbeitet"
    sachsen.save()
    third = client.get(sachsen.get_pdf_url())

    assert third["X-PDF-Cache"] == "miss"
    assert third["ETag"] != first["ETag"]
    assert "erneut" in all_text(pdf_of(third))
    _, files = default_storage.listdir(f"pdf/{sachsen.pk}")
    assert len(files) == 1  # the outdated PDF is gone


def test_a_changed_picture_caption_makes_a_new_pdf(client, sachsen):
    etag = client.get(sachsen.get_pdf_url())["ETag"]

    sachsen.lead_image.caption = "Neue Bildunterschrift"
    sachsen.lead_image.save()

    assert client.get(sachsen.get_pdf_url())["ETag"] != etag


def test_conditional_requests_get_304(client, sachsen):
    first = client.get(sachsen.get_pdf_url())

    by_etag = client.get(sachsen.get_pdf_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get(sachsen.get_pdf_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert by_etag.status_code == 304
    assert by_date.status_code == 304
    assert by_etag.content == b""


@contextlib.contextmanager
def the_only_slot_taken():
    """Another process renders: it holds the single slot (from its own connection)."""
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, 0)", [0x50444621])
        with override_settings(PDF_RENDER_SLOTS=1, PDF_RENDER_WAIT=0):
            yield
    finally:
        other.close()


def test_when_all_render_slots_are_taken_the_reader_gets_a_quick_503(client, sachsen):
    with the_only_slot_taken():
        response = client.get(sachsen.get_pdf_url())

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Das PDF wird gerade erstellt" in response.content.decode()


def test_a_stored_pdf_is_served_even_when_all_slots_are_taken(client, sachsen):
    client.get(sachsen.get_pdf_url())
    with the_only_slot_taken():
        response = client.get(sachsen.get_pdf_url())

    assert response.status_code == 200
    assert response["X-PDF-Cache"] == "hit"


@pytest.mark.parametrize(
    "url",
    ["https://evil.example/bild.png", "http://169.254.169.254/latest/", "file:///etc/passwd"],
)
def test_pdfs_never_load_anything_from_elsewhere(url):
    with pytest.raises(ValueError):
        LocalFetcher().fetch(url)


def test_the_fetcher_reads_our_media_and_static_files(sachsen):
    picture = LocalFetcher().fetch(f"http://testserver{sachsen.lead_image.print_src}")
    css = LocalFetcher().fetch("http://testserver/static/css/pdf.css")

    assert picture.read()[:3] == b"\xff\xd8\xff"  # a JPEG
    assert b"@page" in css.read()


def test_a_repeated_download_reads_the_stored_pdf_without_loading_the_article(
    client, sachsen, django_assert_max_num_queries
):
    first = client.get(sachsen.get_pdf_url())

    with django_assert_max_num_queries(1):  # the content version, nothing more
        again = client.get(sachsen.get_pdf_url())

    assert again["X-PDF-Cache"] == "hit"
    assert (again["ETag"], again.content) == (first["ETag"], first.content)
    assert again["Content-Disposition"] == first["Content-Disposition"]


def test_a_pdf_taken_back_is_gone_at_once_though_its_file_was_remembered(client, sachsen):
    assert client.get(sachsen.get_pdf_url()).status_code == 200

    sachsen.status = Article.Status.UNPUBLISHED
    sachsen.save()

    assert client.get(sachsen.get_pdf_url()).status_code == 404


def test_a_pdf_whose_file_went_missing_is_rendered_again(client, sachsen):
    first = client.get(sachsen.get_pdf_url())
    _, files = default_storage.listdir(f"pdf/{sachsen.pk}")
    default_storage.delete(f"pdf/{sachsen.pk}/{files[0]}")

    again = client.get(sachsen.get_pdf_url())

    assert again.status_code == 200
    assert again["X-PDF-Cache"] == "miss"
    assert again["ETag"] == first["ETag"]
