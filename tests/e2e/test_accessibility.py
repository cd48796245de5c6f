"""WCAG 2.1 A and AA (axe-core) on every public page type and on forms in their error state."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from portal.lib.images import make_renditions
from portal.models import LegalText, Publisher
from subscriptions.models import NewsletterConsent
from subscriptions.newsletter import unsubscribe_path
from tests.conftest import PASSWORD
from tests.e2e.conftest import screenshot
from tests.e2e.test_journeys import log_in, path_in, sign_up_for_the_newsletter
from tests.factories import (
    make_article,
    make_campaign,
    make_category,
    make_image,
    make_plan,
    make_section,
    make_subscriber,
    make_subscription,
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
    for kind, title in LegalText.Kind.choices:
        LegalText.objects.get_or_create(
            kind=kind, defaults={"title": title, "body": f"<h2>{title}</h2><p>Text.</p>"}
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
        "search-nothing-found": "/suche/?q=Quantenverwaltung",
        "archive": "/archiv/",
        "archive-year": f"/archiv/{article.publish_at:%Y}/",
        "archive-month": f"/archiv/{article.publish_at:%Y/%m}/",
        "it-guide": "/it-guide/",
        "vendor": vendor.get_absolute_url(),
        "cancel": "/abo/kuendigen/",
        "withdraw": "/abo/widerrufen/",
        "aboverwaltung": "/abo/",
        "order": "/abo/bestellen/",
        "withdrawal-policy": "/abo/widerrufsbelehrung/",
        "newsletter": "/newsletter/",
        "impressum": "/impressum/",
        "privacy": "/datenschutz/",
        "accessibility": "/barrierefreiheit/",
        "terms": "/agb/",
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
        ("/newsletter/", "Zum Newsletter anmelden"),
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
    # A screen reader starts with "Fehler: …" and the summary, whose first link
    # leads to the first field in error.
    assert page.title().startswith("Fehler: ")
    assert page.evaluate("document.activeElement.classList.contains('form-alert')")
    summary = page.locator(".form-alert li a")
    assert summary.count() == errors.count()
    summary.first.click()
    described = page.evaluate("document.activeElement.getAttribute('aria-describedby') || ''")
    assert first in described.split() or page.evaluate(
        f"document.activeElement.closest('[aria-describedby~=\"{first}\"]') !== null"
    )
    screenshot(page, "error" + url.replace("/", "-").rstrip("-"))


@pytest.mark.parametrize("width", [320, 640])  # 640: a 1280 px screen at 200 % zoom
def test_pages_fit_narrow_screens_and_200_percent_zoom_without_sideways_scrolling(
    page, site, width
):
    page.set_viewport_size({"width": width, "height": 800})
    for name, url in page_types(site).items():
        page.goto(url)
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


def test_pages_reached_only_by_taking_a_step_meet_wcag_21_aa(page, site, mailoutbox):
    """Receipts, thank-you pages, link confirmations, the Aboverwaltung: as people reach them."""
    erika = make_subscriber(name="Erika Mustermann", email="erika@example.org")
    make_subscription(erika, make_plan(name="Digital, monatlich"), ordered_online=True)
    failures = {}

    def check(name):
        page.wait_for_load_state("networkidle")
        if found := violations(page):
            failures[name] = found
        screenshot(page, name)

    page.goto("/abo/kuendigen/")
    page.get_by_label("Ihr Name").fill("Erika Mustermann")
    page.get_by_label("Kundennummer oder E-Mail-Adresse Ihres Abonnements").fill("K-000000")
    page.get_by_label("E-Mail-Adresse für die Bestätigung").fill("erika@example.org")
    page.get_by_role("button", name="jetzt kündigen").click()
    page.wait_for_url("**/abo/erklaerung/**")
    check("receipt")

    page.goto("/abo/kuendigen/")  # someone else, with Erika's address
    page.get_by_label("Ihr Name").fill("Eve Angreiferin")
    page.get_by_label("Kundennummer oder E-Mail-Adresse Ihres Abonnements").fill(erika.email)
    page.get_by_label("E-Mail-Adresse für die Bestätigung").fill("eve@example.org")
    page.get_by_role("button", name="jetzt kündigen").click()
    page.wait_for_url("**/abo/erklaerung/**")
    page.goto(path_in(mailoutbox, "/abo/nicht-ich/"))
    check("not-me")
    page.get_by_role("button", name="Das war ich nicht").click()
    page.get_by_text("Danke.").wait_for()
    check("not-me-recorded")

    page.goto("/abo/")
    page.get_by_label("E-Mail-Adresse Ihres Abonnements").fill("erika@example.org")
    page.get_by_role("button", name="Anmeldelink anfordern").click()
    check("login-link-sent")
    page.goto(path_in(mailoutbox, "/abo/anmelden/"))
    check("login-confirm")
    page.get_by_role("button", name="Jetzt anmelden").click()
    check("dashboard")
    page.get_by_label("PLZ").fill("1234X")
    page.get_by_role("button", name="Anschrift speichern").click()
    assert page.locator("#id_postcode_error").is_visible()
    check("error-address")
    page.get_by_label("Neue E-Mail-Adresse").fill("erika@")
    page.get_by_role("button", name="Bestätigungslink senden").click()
    assert page.get_by_text("Bitte gültige E-Mail-Adresse eingeben.", exact=True).is_visible()
    check("error-new-email")
    page.get_by_role("link", name="Meine Daten ansehen").click()
    check("my-data")
    page.goto("/abo/anmelden/ausgedacht/")
    check("link-invalid")

    page.goto("/abo/bestellen/")
    page.get_by_label(re.compile("Print-Magazin, jährlich")).check()
    page.get_by_label("Name", exact=True).fill("Max Beispiel")
    page.get_by_label("E-Mail-Adresse").fill("max@example.org")
    page.get_by_label("Straße und Hausnummer").fill("Rathausplatz 1")
    page.get_by_label("PLZ").fill("12345")
    page.get_by_label("Ort").fill("Musterstadt")
    page.get_by_label("Ich stimme den Allgemeinen Geschäftsbedingungen (AGB) zu.").check()
    page.get_by_role("button", name="Zahlungspflichtig bestellen").click()
    page.wait_for_url("**/abo/bestellt/")
    check("ordered")
    page.goto(path_in(mailoutbox, "/abo/bestellung/"))
    check("order-confirm")
    page.get_by_role("button", name="Zahlungspflichtig bestellen").click()
    check("order-confirmed")

    sign_up_for_the_newsletter(page, "anna@example.org")
    check("newsletter-requested")
    page.goto(path_in(mailoutbox, "/newsletter/bestaetigen/"))
    check("newsletter-confirm")
    page.get_by_role("button", name="Anmeldung bestätigen").click()
    check("newsletter-confirmed")
    page.goto(unsubscribe_path(NewsletterConsent.objects.get()))  # as each issue links it
    check("newsletter-unsubscribe")

    assert failures == {}


def test_the_back_office_pages_meet_wcag_21_aa(page, site, django_user_model):
    """Editors and the Aboverwaltung work with screen readers too: lists and forms of the admin."""
    django_user_model.objects.create_superuser("chefin", "chefin@example.org", PASSWORD)
    article, vendor = site["article"], site["vendor"]
    make_renditions(article.lead_image)
    campaign = make_campaign(advertiser=vendor)
    erika = make_subscriber(name="Erika Mustermann")
    make_subscription(erika, make_plan(name="Digital, monatlich"))
    log_in(page, "chefin")  # through the second factor's set-up and recovery codes
    pages = {
        "admin-second-factor": "/admin/zweiter-faktor/einrichten/",
        "admin-home": "/admin/",
        "admin-articles": "/admin/articles/article/",
        "admin-article-add": "/admin/articles/article/add/",
        "admin-article": f"/admin/articles/article/{article.pk}/change/",
        "admin-planning": "/admin/articles/article/planung/",
        "admin-images": "/admin/articles/image/",
        "admin-image": f"/admin/articles/image/{article.lead_image.pk}/change/",
        "admin-sections": "/admin/articles/section/",
        "admin-image-picker": "/admin/articles/image/auswahl/?CKEditorFuncNum=1",
        "admin-vendor": f"/admin/ads/vendor/{vendor.pk}/change/",
        "admin-campaign": f"/admin/ads/campaign/{campaign.pk}/change/",
        "admin-plans": "/admin/subscriptions/plan/",
        "admin-subscriptions": "/admin/subscriptions/subscription/",
        "admin-subscriber": f"/admin/subscriptions/subscriber/{erika.pk}/change/",
        "admin-declarations": "/admin/subscriptions/declaration/",
        "admin-orders": "/admin/subscriptions/order/",
        "admin-address-changes": "/admin/subscriptions/addresschange/",
        "admin-outbox": "/admin/subscriptions/outgoingmail/",
        "admin-legal-text": f"/admin/portal/legaltext/{LegalText.objects.first().pk}/change/",
    }
    failures = {}
    for name, url in pages.items():
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.locator("#content h1, #content-main").count() > 0, name
        if found := violations(page):
            failures[name] = found
        screenshot(page, name)

    assert failures == {}
    # What the fixes give a screen reader on the article form.
    page.goto(pages["admin-article"])
    assert page.get_by_role("textbox", name="Text").count() == 1
    assert page.get_by_role("combobox", name=re.compile(r"^Bereich:? Politik$")).count() == 1
    assert page.get_by_role("textbox", name=re.compile(r"^Veröffentlichung:? Datum")).count() == 1
    page.goto(pages["admin-campaign"])
    assert page.get_by_role("textbox", name=re.compile(r"^Ende:? Zeit")).count() == 1
    page.goto(pages["admin-sections"])  # a sortable list with editable positions
    assert page.get_by_role("spinbutton", name="Position", exact=True).count() == 1
