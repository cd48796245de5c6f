"""The back office for ad sales: vendors, campaigns, creatives and their figures."""

import csv
import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ads import counting
from ads.models import Campaign, Creative, Vendor
from tests.conftest import logged_in
from tests.factories import make_article, make_campaign, make_category, make_vendor, picture_bytes
from tests.pages import main_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def sales(ad_sales):
    return logged_in(ad_sales)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/ads/vendor/add/",
        "/admin/ads/campaign/",
        "/admin/ads/campaign/add/",
        "/admin/ads/creative/",
        "/admin/ads/category/",
    ],
)
def test_ad_sales_work_here_and_the_newsroom_does_not(sales, editor_client, url):
    assert sales.get(url).status_code == 200
    assert editor_client.get(url).status_code == 403


def test_ad_sales_see_nothing_editorial(sales):
    assert sales.get("/admin/articles/article/").status_code == 403


def test_the_newsroom_may_look_vendors_up_but_not_change_them(editor_client):
    vendor = make_vendor()

    assert editor_client.get("/admin/ads/vendor/").status_code == 200
    html = editor_client.get(f"/admin/ads/vendor/{vendor.pk}/change/").content.decode()
    assert 'name="_save"' not in html


def test_a_vendor_with_a_logo_is_saved_with_renditions_and_a_german_slug(sales):
    finance = make_category("Finanzwesen", slug="finanzwesen")
    logo = SimpleUploadedFile("logo.png", picture_bytes("PNG", (600, 200)), "image/png")

    response = sales.post(
        "/admin/ads/vendor/add/",
        {
            "name": "Münsterländer Daten GmbH", "slug": "", "logo": logo,
            "description": '<p>Daten <strong>für</strong> alle<script>x()</script></p>',
            "categories": [finance.pk], "street": "Domplatz 1", "postcode": "48143",
            "city": "Münster", "country": "DE", "website": "www.daten.example",
            "email": "", "phone": "", "plus": "on",
            "listed_from": "01.01.2024", "listed_until": "",
        },
    )  # fmt: skip

    assert response.status_code == 302, response.context["adminform"].form.errors
    vendor = Vendor.objects.get()
    assert vendor.slug == "muensterlaender-daten-gmbh"
    assert vendor.website == "https://www.daten.example"
    assert vendor.description == "<p>Daten <strong>für</strong> alle</p>"
    assert [width for width, _name in vendor.logo_renditions["webp"]] == [480, 600]


@pytest.mark.parametrize(
    ("postcode", "country", "message"),
    [("4255", "DE", "5 Ziffern"), ("42551", "AT", "4 Ziffern"), ("ABCDE", "DE", "5 Ziffern")],
)
def test_postcodes_are_checked_for_their_country(sales, postcode, country, message):
    response = sales.post(
        "/admin/ads/vendor/add/",
        {
            "name": "Firma",
            "postcode": postcode,
            "city": "Ort",
            "country": country,
            "listed_from": "01.01.2024",
        },
    )

    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors["postcode"])


def creative_form(campaign, image, **fields):
    """The campaign's change form with one new creative in its inline."""
    data = {
        "advertiser": campaign.advertiser_id, "name": campaign.name,
        "starts_at_0": "01.11.2026", "starts_at_1": "00:00:00",
        "ends_at_0": "31.12.2026", "ends_at_1": "23:59:00", "weight": "10", "notes": "",
        "creatives-TOTAL_FORMS": "1", "creatives-INITIAL_FORMS": "0",
        "creatives-MIN_NUM_FORMS": "0", "creatives-MAX_NUM_FORMS": "1000",
        "creatives-0-slot": "sidebar-top", "creatives-0-image": image,
        "creatives-0-alt_text": "Doppik ohne Stress",
        "creatives-0-target_url": "www.werbekunde.example",
        "creatives-0-active": "on",
    }  # fmt: skip
    data.update(fields)
    return data


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            picture_bytes("PNG", (600, 400)),
            "600 × 400 Pixel groß; der Platz „Seitenleiste oben“ braucht 300 × 250",
        ),
        (b"GIF89a" + b"\x00" * 40, "Bitte ein gültiges Bild hochladen"),
        (picture_bytes("PNG", (300, 250))[:200], "Bitte ein gültiges Bild hochladen"),
        (picture_bytes("GIF", (300, 250)), "Bilder im Format GIF sind nicht erlaubt"),
    ],
)
def test_a_creative_that_does_not_fit_or_is_broken_is_refused_with_the_reason(
    sales, upload, message
):
    campaign = make_campaign(slots=[])
    image = SimpleUploadedFile("motiv.png", upload, "image/png")

    response = sales.post(
        f"/admin/ads/campaign/{campaign.pk}/change/", creative_form(campaign, image)
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Creative.objects.exists()


@pytest.mark.parametrize("size", [(300, 250), (600, 500)])
def test_a_creative_at_the_places_size_or_twice_it_is_taken(sales, size):
    campaign = make_campaign(slots=[])
    image = SimpleUploadedFile("motiv.png", picture_bytes("PNG", size), "image/png")

    response = sales.post(
        f"/admin/ads/campaign/{campaign.pk}/change/", creative_form(campaign, image)
    )

    assert response.status_code == 302
    creative = Creative.objects.get()
    assert (creative.width, creative.height) == size
    assert creative.target_url == "https://www.werbekunde.example"
    change = sales.get(f"/admin/ads/creative/{creative.pk}/change/").content.decode()
    assert 'width="300" height="250"' in change  # shown at the place's size
    assert "Anzeige</figcaption>" in change


def test_campaigns_can_be_filtered_by_running_now_and_ending_this_month(sales):
    now = timezone.now()
    today = timezone.localdate()
    month_end = datetime.date(today.year + today.month // 12, today.month % 12 + 1, 1)
    make_campaign(
        name="Bis Monatsende",
        ends_at=timezone.make_aware(datetime.datetime.combine(month_end, datetime.time.min)),
    )
    running = make_campaign(name="Läuft lange", ends_at=now + datetime.timedelta(days=400))
    ending = make_campaign(name="Endet bald", ends_at=now + datetime.timedelta(minutes=5))
    make_campaign(
        name="Vorbei",
        starts_at=now - datetime.timedelta(days=9),
        ends_at=now - datetime.timedelta(days=1),
    )

    def listed(params):
        html = sales.get("/admin/ads/campaign/", params).content.decode()
        return sorted(c.name for c in Campaign.objects.all() if f">{c.name}<" in html)

    assert listed({"laufzeit": "jetzt"}) == sorted([running.name, ending.name, "Bis Monatsende"])
    assert listed({"laufzeit": "endet"}) == sorted([ending.name, "Bis Monatsende"])
    # Ending at 0:00 on the first, it runs until the last day of this month.
    last_day = month_end - datetime.timedelta(days=1)
    assert f"– {last_day:%d.%m.%Y}" in sales.get("/admin/ads/campaign/").content.decode()
    assert listed({"laufzeit": "vorbei"}) == ["Vorbei"]


def test_a_reader_finds_a_vendor_clicks_an_ad_and_sales_see_the_click(client, sales):
    """The issue's walk: IT-Guide, Finanzwesen in region 4, a vendor, an article, an ad."""
    finance = make_category("Finanzwesen", slug="finanzwesen")
    vendor = make_vendor("ab-data GmbH & Co. KG", [finance], postcode="42551", city="Velbert")
    make_vendor("Hamburger Finanz GmbH", [finance], postcode="20095", city="Hamburg")
    article = make_article(headline="Neue Finanzsoftware im Einsatz")
    article.vendors.add(vendor)
    campaign = make_campaign(advertiser=vendor, slots=["article"])
    creative = campaign.creatives.get()

    listing = client.get("/it-guide/", {"kategorie": "finanzwesen", "plz": "4"})
    assert [v.name for v in listing.context["vendors"]] == ["ab-data GmbH & Co. KG"]
    profile = main_content(client.get(vendor.get_absolute_url()))
    assert article.get_absolute_url() in profile
    page = client.get(article.get_absolute_url()).content.decode()
    frame_url = re.search(r'src="(/anzeige/platz/article/)"', page).group(1)
    inside = client.get(frame_url).content.decode()
    click_url = re.search(r'href="(/anzeige/klick/\d+/)"', inside).group(1)
    assert client.get(click_url)["Location"] == creative.target_url

    statistics = sales.get(f"/admin/ads/campaign/{campaign.pk}/statistik/").content.decode()
    today = timezone.localdate()
    assert "1 Einblendungen, 1 Klicks, Klickrate 100,00 %" in statistics
    assert (
        f"{today.day}.{today.month}.{today.year}: 1 Einblendungen, 1 Klicks" in statistics
    )  # the chart
    # Bars with coordinates SVG can read (a decimal point, never a German comma).
    assert re.search(r'<rect x="[0-9.]+" y="[0-9.]+" width="[0-9.]+" height="[0-9.]+"', statistics)


def test_the_advertiser_gets_the_figures_as_csv(sales, client):
    campaign = make_campaign(name="Doppik", slots=["sidebar-top", "article"])
    top = campaign.creatives.get(slot="sidebar-top")
    for _ in range(3):
        counting.count_impression(top.pk)
    client.get(top.get_click_url())

    response = sales.get(f"/admin/ads/campaign/{campaign.pk}/statistik/", {"format": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith(
        "\ufeffDatum;Kampagne;Motiv;Platz;Einblendungen;Klicks;Klickrate (%)\r\n"
    )
    today = timezone.localdate().strftime("%d.%m.%Y")
    assert f"{today};Doppik;{top.alt_text};Seitenleiste oben (300 × 250);3;1;33,33\r\n" in text
    assert text.count("\r\n") == 2  # the other creative did nothing yet


def test_the_csv_cannot_smuggle_a_formula_into_the_advertisers_spreadsheet(sales, client):
    campaign = make_campaign(name='=HYPERLINK("https://boese.example")')
    creative = campaign.creatives.get()
    creative.alt_text = "+49 Anzeige"
    creative.save()
    client.get(creative.get_click_url())

    text = sales.get(f"/admin/ads/campaign/{campaign.pk}/statistik/", {"format": "csv"}).content
    row = list(csv.reader(io.StringIO(text.decode()), delimiter=";"))[1]

    assert row[1].startswith("'=HYPERLINK")
    assert row[2] == "'+49 Anzeige"


def test_only_ad_sales_see_the_figures(editor_client, sales):
    campaign = make_campaign()

    assert editor_client.get(f"/admin/ads/campaign/{campaign.pk}/statistik/").status_code == 403
    assert sales.get(f"/admin/ads/campaign/{campaign.pk}/statistik/").status_code == 200


def test_editors_name_the_vendors_an_article_is_about(editor_client):
    vendor = make_vendor("con terra GmbH")

    response = editor_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "articles",
            "model_name": "article",
            "field_name": "vendors",
            "term": "terra",
        },
    )

    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [vendor.name]


def test_a_click_after_the_end_is_in_every_total(sales, client):
    """A campaign shortened after its clicks were counted keeps them in every total."""
    now = timezone.now()
    campaign = make_campaign(starts_at=now - datetime.timedelta(days=5))
    creative = campaign.creatives.get()
    client.get(creative.get_click_url())
    campaign.ends_at = now - datetime.timedelta(days=2)
    campaign.save()

    statistics = sales.get(f"/admin/ads/campaign/{campaign.pk}/statistik/").content.decode()
    listing = sales.get("/admin/ads/campaign/").content.decode()

    assert "0 Einblendungen, 1 Klicks" in statistics
    assert re.search(r'<td class="field-clicks">1</td>', listing)
