"""A reader whose browser blocks every cookie (issue 19, point 7): Chromium's own setting.

The Kündigung goes through and its receipt shows; a form that needs the
CSRF cookie (the order) answers with a German page that keeps what was typed.
"""

import json

import pytest

from subscriptions.models import Declaration, Order
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, browser_settings, screenshot
from tests.factories import make_plan, make_subscriber, make_subscription

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def blocking_page(chromium, live_server, tmp_path):
    """A page in a browser profile set to "Websites dürfen keine Cookies speichern".

    A profile of its own (Chromium keeps the setting in its Preferences),
    started by the same Playwright as the suite's browser.
    """
    profile = tmp_path / "profile"
    (profile / "Default").mkdir(parents=True)
    blocked = {"profile": {"default_content_setting_values": {"cookies": 2}}}
    (profile / "Default" / "Preferences").write_text(json.dumps(blocked))
    context = chromium.browser_type.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        **browser_settings(live_server),
    )
    page = context.pages[0] if context.pages else context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_point_7_cancelling_with_every_cookie_blocked(blocking_page):
    page = blocking_page
    erika = make_subscriber(name="Erika Mustermann", email="erika@example.org")
    make_subscription(erika, make_plan(name="Print-Magazin, jährlich"))
    # The profile really blocks: a cookie set by script does not stick.
    page.goto("/")
    page.evaluate("document.cookie = 'probe=1'")
    assert page.evaluate("document.cookie") == ""

    page.goto("/abo/kuendigen/")
    page.get_by_label("Ihr Name").fill("Erika Mustermann")
    page.get_by_label("Kundennummer oder E-Mail-Adresse Ihres Abonnements").fill(
        erika.customer_number
    )
    page.get_by_label("E-Mail-Adresse für die Bestätigung").fill("erika@example.org")
    page.get_by_role("button", name="jetzt kündigen").click()
    page.wait_for_url("**/abo/erklaerung/**")

    assert page.locator("h1").text_content() == "Ihre Kündigung ist eingegangen"
    assert Declaration.objects.get().identifier == erika.customer_number
    assert page.context.cookies() == []
    screenshot(page, "cookies-blocked-receipt")


def test_point_7_a_form_that_needs_the_cookie_keeps_what_was_typed(blocking_page):
    page = blocking_page
    make_plan(name="Digital-Abo, monatlich", orderable=True)

    page.goto("/abo/bestellen/")
    page.get_by_label("Digital-Abo, monatlich").check()
    page.get_by_label("Name", exact=True).fill("Erika Mustermann")
    page.get_by_label("E-Mail-Adresse").fill("erika@example.org")
    page.get_by_label("Straße und Hausnummer").fill("Rathausplatz 1")
    page.get_by_label("PLZ").fill("12345")
    page.get_by_label("Ort").fill("Musterstadt")
    page.get_by_label("Ich stimme den Allgemeinen Geschäftsbedingungen (AGB) zu.").check()
    page.get_by_role("button", name="Zahlungspflichtig bestellen").click()

    assert page.locator("h1").text_content() == "Ihre Eingabe wurde nicht gespeichert"
    main = page.locator("main").text_content()
    assert "vermutlich blockiert er Cookies" in main
    assert "Rathausplatz 1" in main
    assert "CSRF" not in main
    assert not Order.objects.exists()
    screenshot(page, "cookies-blocked-csrf-page")
