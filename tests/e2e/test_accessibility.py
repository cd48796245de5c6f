"""WCAG 2.1 A and AA (axe-core) on every public page type and on forms in their error state."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from portal.models import LegalText, Publisher
from tests.e2e.conftest import screenshot
from tests.factories import (
    make_article,
    make_category,
    make_image,
    make_plan,
    make_section,
    make_vendor,
)

pytestmark = pytest.mark.django_db(transaction=True)

# WCAG 2.1 A and AA, plus the order of headings (axe files it under best practices).
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "rules": {"heading-order": {"enabled": True}},
}


@pytest.fixture
def site():
    politik = make_section("Politik", slug="politik")
    article = make_article(
        section=politik,
        headline="Digitalstrategie überarbeitet",
        tags=["OZG"],
        lead_image=make_image(),
        body="<p>Ein Absatz über Digitalisierung.</p>",
    )
    vendor = make_vendor(
        "con terra GmbH",
        [make_category("Geoinformation", slug="geo")],
        slug="con-terra",
        plus=True,
    )
    make_plan(name="Print-Magazin, jährlich")
    Publisher.objects.get_or_create(
        name="Verlag",
        defaults={
            "street": "Weg 1",
            "postcode": "10115",
            "city": "Berlin",
            "represented_by": "Erika",
            "email": "v@example.org",
            "phone": "1",
            "responsible": "Max",
            "responsible_address": "Weg 1, Berlin",
        },
    )
    LegalText.objects.get_or_create(
        kind="datenschutz", defaults={"title": "Datenschutzerklärung", "body": "<p>Text.</p>"}
    )
    return {"article": article, "vendor": vendor}


def violations(page):
    found = Axe().run(page, options=WCAG_21_AA).response["violations"]
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in found]


def page_types(site):
    article, vendor = site["article"], site["vendor"]
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "print": article.get_print_url(),
        "section": "/rubrik/politik/",
        "tag": "/stichwort/ozg/",
        "search": "/suche/?q=Digitalisierung",
        "archive": "/archiv/",
        "archive-month": f"/archiv/{article.publish_at:%Y/%m}/",
        "it-guide": "/it-guide/",
        "vendor": vendor.get_absolute_url(),
        "cancel": "/abo/kuendigen/",
        "withdraw": "/abo/widerrufen/",
        "aboverwaltung": "/abo/",
        "order": "/abo/bestellen/",
        "newsletter": "/newsletter/",
        "impressum": "/impressum/",
        "privacy": "/datenschutz/",
        "not-found": "/gibt-es-nicht/",
    }


def test_every_public_page_type_meets_wcag_21_aa(page, site):
    failures = {}
    for name, url in page_types(site).items():
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == "de"
        if found := violations(page):
            failures[name] = found
        screenshot(page, name)

    assert failures == {}


@pytest.mark.parametrize(
    ("url", "button"),
    [
        ("/abo/kuendigen/", "jetzt kündigen"),
        ("/abo/widerrufen/", "Widerruf bestätigen"),
        ("/abo/bestellen/", "Zahlungspflichtig bestellen"),
        ("/newsletter/", "Newsletter bestellen"),
    ],
)
def test_forms_in_their_error_state_meet_wcag_21_aa_and_link_errors_to_fields(
    page, site, url, button
):
    page.goto(url)
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state("networkidle")

    errors = page.locator(".field-error")
    assert errors.count() > 0
    first = errors.first.get_attribute("id")
    assert page.locator(f'[aria-describedby~="{first}"]').count() == 1
    assert violations(page) == []
    screenshot(page, "error" + url.replace("/", "-").rstrip("-"))


@pytest.mark.parametrize("width", [320, 640])  # 640: a 1280 px screen at 200 % zoom
def test_pages_fit_narrow_screens_and_200_percent_zoom_without_sideways_scrolling(
    page, site, width
):
    page.set_viewport_size({"width": width, "height": 800})
    for name in ("home", "article", "cancel", "it-guide", "order", "search"):
        page.goto(page_types(site)[name])
        page.wait_for_load_state("networkidle")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} at {width} px scrolls sideways by {overflow} px"


def test_the_keyboard_focus_is_visible_and_the_skip_link_leads_to_the_content(page, site):
    page.goto(page_types(site)["article"])

    page.keyboard.press("Tab")
    skip = page.evaluate("document.activeElement.textContent.trim()")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    page.keyboard.press("Enter")

    assert skip == "Zum Inhalt springen"
    assert outline not in ("none", "")
    assert page.evaluate("document.activeElement.id") == "inhalt"


def test_every_element_the_keyboard_reaches_shows_its_focus(page, site):
    page.goto(page_types(site)["article"])
    unmarked, seen = [], set()

    for _ in range(80):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """() => {
                const e = document.activeElement, s = getComputedStyle(e);
                const name = (e.textContent || e.title || '').trim().slice(0, 40);
                return {what: e.tagName + ' ' + name,
                        outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
                        shadow: s.boxShadow !== 'none'};
            }"""
        )
        if state["what"] in seen or state["what"].startswith("BODY"):  # past the last element
            continue
        seen.add(state["what"])
        if not (state["outline"] or state["shadow"]):
            unmarked.append(state["what"])

    assert len(seen) > 20
    assert unmarked == []
