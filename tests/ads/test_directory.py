"""The IT-Guide: readers find vendors by category, postcode region, place and text."""

import datetime
import html
import re

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_category, make_vendor
from tests.pages import main_content, warm_shared_fragments

pytestmark = pytest.mark.django_db

DIRECTORY = "/it-guide/"


def names(response):
    """The vendors a directory page lists, as the reader sees them (cached or not)."""
    found = re.findall(
        r'vendor-card__name"><a href="[^"]+">([^<]+)</a>', response.content.decode()
    )
    return [html.unescape(name) for name in found]


@pytest.fixture
def guide():
    finance = make_category("Finanzwesen", slug="finanzwesen")
    geo = make_category("Geoinformation", slug="geoinformation")
    return {
        "finance": finance,
        "geo": geo,
        "ab_data": make_vendor(
            "ab-data GmbH & Co. KG", [finance], postcode="42551", city="Velbert", plus=True,
            description="<p>Finanzsoftware für Kommunen.</p>",
        ),
        "xsuite": make_vendor(
            "xSuite Group GmbH", [finance], postcode="22926", city="Ahrensburg", plus=True
        ),
        "con_terra": make_vendor(
            "con terra GmbH", [geo], postcode="48155", city="Münster", plus=True
        ),
        "kasse": make_vendor("Kassenwerk AG", [finance], postcode="44135", city="Dortmund"),
        "aachen": make_vendor("Aachener Haushalt KG", [finance], postcode="52062", city="Aachen"),
    }  # fmt: skip


def test_plus_entries_come_first_then_by_name(client, guide):
    response = client.get(DIRECTORY)

    assert response.status_code == 200
    assert names(response) == [
        "ab-data GmbH & Co. KG", "con terra GmbH", "xSuite Group GmbH",
        "Aachener Haushalt KG", "Kassenwerk AG",
    ]  # fmt: skip
    html = main_content(response)
    assert "5 Anbieter" in html
    assert "42551 Velbert" in html


def test_finanzwesen_in_postcode_region_4(client, guide):
    response = client.get(DIRECTORY, {"kategorie": "finanzwesen", "plz": "4"})

    assert names(response) == ["ab-data GmbH & Co. KG", "Kassenwerk AG"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"ort": "münster"}, ["con terra GmbH"]),
        ({"q": "kommunen finanzsoftware"}, ["ab-data GmbH & Co. KG"]),
        ({"q": "Velbert"}, ["ab-data GmbH & Co. KG"]),
        ({"plz": "48155"}, ["con terra GmbH"]),
        ({"kategorie": "geoinformation", "plz": "2"}, []),
    ],
)
def test_filters(client, guide, params, expected):
    assert names(client.get(DIRECTORY, params)) == expected


def test_a_listing_shows_only_in_its_period(client, guide):
    today = timezone.localdate()
    ended = make_vendor("Vorbei GmbH", listed_until=today - datetime.timedelta(days=1))
    future = make_vendor("Bald GmbH", listed_from=today + datetime.timedelta(days=1))

    assert "Vorbei GmbH" not in names(client.get(DIRECTORY))
    assert "Bald GmbH" not in names(client.get(DIRECTORY))
    assert client.get(ended.get_absolute_url()).status_code == 404
    assert client.get(future.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"kategorie": "999999"}, 400, "Bitte eine gültige Auswahl treffen"),
        ({"plz": "abc"}, 400, "Bitte nur Ziffern angeben"),
        ({"plz": "123456"}, 400, "höchstens 5 Zeichen"),
        ({"q": "x" * 5000}, 400, "höchstens 100 Zeichen"),
        ({"ort": "y" * 5000}, 400, "höchstens 100 Zeichen"),
        ({"q": "'; DROP TABLE ads_vendor; --"}, 200, "Kein Anbieter gefunden"),
        ({"q": "\u2603 %_ \\"}, 200, "Kein Anbieter gefunden"),
        ({"page": "abc"}, 404, "Diese Seite der Liste gibt es nicht"),
        ({"page": "-1"}, 404, "Diese Seite der Liste gibt es nicht"),
        ({"page": "99"}, 404, "Diese Seite der Liste gibt es nicht"),
    ],
)
def test_nonsense_gets_a_clear_empty_answer(client, guide, params, status, message):
    response = client.get(DIRECTORY, params)

    assert response.status_code == status
    html = main_content(response)
    assert message in html
    assert "vendor-card" not in html
    assert ("<title>Fehler: " in response.content.decode()) == (status != 200)


def test_pages_keep_the_filters(client, guide, monkeypatch):
    from ads import views

    monkeypatch.setattr(views, "DIRECTORY_PAGE_SIZE", 2)

    response = client.get(DIRECTORY, {"kategorie": "finanzwesen"})

    assert names(response) == ["ab-data GmbH & Co. KG", "xSuite Group GmbH"]
    assert "?kategorie=finanzwesen&amp;page=2" in main_content(response)


def test_the_directory_needs_a_constant_number_of_queries(
    client, guide, django_assert_max_num_queries
):
    for n in range(30):
        make_vendor(f"Firma {n} GmbH", [guide["finance"], guide["geo"]], plus=n % 2 == 0)

    # Vendors, their count, their categories, the category choice of the
    # form, the content version, and the navigation with "IT-Guide"
    # marked as the current place (a fragment of its own, cached from then on).
    warm_shared_fragments(client)
    with django_assert_max_num_queries(6):
        response = client.get(DIRECTORY)

    assert len(response.context["vendors"]) == 20


def test_a_profile_has_contact_categories_and_the_articles_about_the_vendor(client, guide):
    vendor = guide["con_terra"]
    vendor.street = "Martin-Luther-King-Weg 20"
    vendor.website = "https://www.conterra.example"
    vendor.email = "info@conterra.example"
    vendor.phone = "0251 59689-0"
    vendor.description = (
        '<p>Geoportale<script>alert("x")</script> <a href="javascript:x">für alle</a></p>'
    )
    vendor.save()
    linked = make_article(headline="Geoportal neu aufgestellt")
    linked.vendors.add(vendor)
    named = make_article(
        headline="Land beauftragt Geodienste",
        body="<p>Den Zuschlag erhielt con terra aus Münster.</p>",
    )
    make_article(headline="Entwurf über con terra", status=Article.Status.DRAFT)
    make_article(headline="Terra incognita", body="<p>Con und terra stehen hier getrennt.</p>")

    response = client.get(vendor.get_absolute_url())

    html = main_content(response)
    assert response.status_code == 200
    assert "Martin-Luther-King-Weg 20" in html
    assert "48155 Münster" in html
    assert 'href="tel:025159689-0"' in html
    assert 'href="mailto:info@conterra.example"' in html
    assert "Geoinformation" in html
    assert "<script>" not in html and "javascript:" not in html
    headlines = re.findall(r'class="teaser__title">\s*<a href="[^"]+">([^<]+)</a>', html)
    assert headlines == [f"Sachsen: {named.headline}", f"Sachsen: {linked.headline}"]


def test_the_sitemap_lists_the_listed_vendors(client, guide):
    make_vendor("Vorbei GmbH", listed_until=timezone.localdate() - datetime.timedelta(days=1))

    xml = client.get("/sitemap-it-guide.xml").content.decode()

    assert "/it-guide/con-terra-gmbh/" in xml
    assert "vorbei-gmbh" not in xml


def test_names_sort_as_german_readers_expect(client):
    for name in [
        "Zebra IT GmbH",
        "ab-data GmbH",
        "Ärzte-IT GmbH",
        "Bonn Daten AG",
        "Öffentliche IT e. V.",
    ]:
        make_vendor(name)

    assert names(client.get(DIRECTORY)) == [
        "ab-data GmbH", "Ärzte-IT GmbH", "Bonn Daten AG", "Öffentliche IT e. V.", "Zebra IT GmbH",
    ]  # fmt: skip


def test_a_postcode_region_is_a_german_one(client, guide):
    make_vendor("Alpen IT GmbH", postcode="4020", city="Linz", country="AT")

    assert "Alpen IT GmbH" not in names(client.get(DIRECTORY, {"plz": "4"}))
    assert "Alpen IT GmbH" in names(client.get(DIRECTORY, {"q": "Linz"}))


def test_free_text_reads_the_description_not_its_markup(client, guide):
    assert names(client.get(DIRECTORY, {"q": "strong"})) == []
    assert names(client.get(DIRECTORY, {"q": "p>"})) == []


def test_paid_listings_pass_no_credit(client, guide):
    vendor = guide["ab_data"]
    vendor.website = "https://www.ab-data.example"
    vendor.description = '<p>Siehe <a href="https://www.ab-data.example/doppik">Doppik</a>.</p>'
    vendor.save()

    html = main_content(client.get(vendor.get_absolute_url()))

    assert 'href="https://www.ab-data.example" rel="sponsored noopener"' in html
    assert 'rel="nofollow noopener noreferrer"' in html


@pytest.mark.parametrize("about", [1, 12])
def test_a_profile_needs_the_same_queries_however_many_articles_are_about_the_vendor(
    client, guide, django_assert_max_num_queries, about
):
    vendor = guide["con_terra"]
    for n in range(about):
        make_article(headline=f"Geoportal {n}").vendors.add(vendor)
        make_article(headline=f"Bericht {n}", body=f"<p>Mit con terra, Teil {n}.</p>")

    # The topic versions, the vendor, its categories, the articles linked to
    # it or naming it (one query), and the navigation with "IT-Guide" current.
    warm_shared_fragments(client)
    with django_assert_max_num_queries(5):
        response = client.get(vendor.get_absolute_url())

    assert response.status_code == 200
    assert response.content.decode().count("Geoportal ") >= min(about, 5)
