"""Journeys as people make them, in the browser."""

import re
import time

import pytest
from django.db.models import Sum
from django.utils import timezone
from playwright.sync_api import expect

from ads.models import AdDay
from articles.models import Article
from portal.lib.images import make_renditions
from subscriptions.models import Declaration, NewsletterConsent, Subscription
from tests.conftest import PASSWORD, make_staff
from tests.e2e.conftest import browser_settings
from tests.e2e.editor import to_end_of_line
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


def tab_to(page, matches, limit=250):
    """Press Tab until the focused element is the one wanted; fail if it never comes."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(matches):
            return
    raise AssertionError(f"Tab never reached: {matches}")


def test_cancelling_from_an_article_with_the_keyboard_alone(page, mailoutbox):
    erika = make_subscriber(name="Erika Mustermann", email="erika@example.org")
    contract = make_subscription(erika, make_plan(name="Print-Magazin, jährlich"))
    article = make_article(section=make_section("Politik", slug="politik"))
    page.goto(article.get_absolute_url())

    tab_to(page, "document.activeElement.textContent.trim() === 'Abonnement kündigen'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/abo/kuendigen/")
    tab_to(page, "document.activeElement.id === 'id_name'")
    page.keyboard.type("Erika Mustermann")
    page.keyboard.press("Tab")
    page.keyboard.type(erika.customer_number)
    tab_to(page, "document.activeElement.id === 'id_email'")
    page.keyboard.type("erika@example.org")
    tab_to(page, "document.activeElement.textContent.trim() === 'jetzt kündigen'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/abo/erklaerung/**")

    heading = page.locator("h1").text_content()
    assert heading == "Ihre Kündigung ist eingegangen"
    assert re.search(r"\d{2}:\d{2}:\d{2} Uhr", page.locator(".declaration").text_content())
    assert Declaration.objects.count() == 1
    assert arrived(mailoutbox, "Eingangsbestätigung Ihrer Kündigung").to == ["erika@example.org"]
    # What it did is settled after the answer and written to the address on file.
    assert arrived(mailoutbox, "Ihr Vertrag endet am").to == [erika.email]
    contract.refresh_from_db()
    assert contract.status == Subscription.Status.CANCELLED


def test_a_reader_goes_from_home_to_article_tag_search_print_and_pdf(page):
    section = make_section("Politik", slug="politik")
    article = make_article(
        section=section,
        headline="Digitalstrategie überarbeitet",
        kicker="Sachsen",
        tags=["OZG"],
        lead_image=make_image(),
        featured=True,
    )

    page.goto("/")
    page.get_by_role("link", name=re.compile("Digitalstrategie überarbeitet")).first.click()
    page.wait_for_url(f"**{article.get_absolute_url()}")
    page.get_by_role("link", name="OZG").click()
    page.wait_for_url("**/stichwort/ozg/")
    assert page.get_by_role("link", name=re.compile("Digitalstrategie")).count() >= 1
    page.get_by_role("searchbox", name="Suchbegriff").fill("Digitalstrategie")
    page.keyboard.press("Enter")
    page.wait_for_url("**/suche/?q=Digitalstrategie")
    page.locator("main").get_by_role("link", name=re.compile("Digitalstrategie")).first.click()
    page.get_by_role("link", name="Druckversion").click()
    page.wait_for_url(f"**{article.get_print_url()}")
    assert "Digitalstrategie überarbeitet" in page.locator("h1").text_content()
    page.goto(article.get_absolute_url())
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()

    assert download.value.suggested_filename.endswith(".pdf")


def arrived(mailoutbox, text, seconds=5):
    """The mail whose subject or body holds ``text``, once it has arrived.

    The server sends mail after its answer has gone out, so a mail may
    arrive a moment after the page shows.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for message in reversed(mailoutbox):
            if text in message.subject or text in message.body:
                return message
        time.sleep(0.05)
    raise AssertionError(f"no mail with {text!r} within {seconds} s")


def path_in(mailoutbox, prefix):
    """The path of the link starting with ``prefix`` in the newest mail that has one."""
    body = arrived(mailoutbox, prefix).body
    return re.search(rf"https?://[^/\s]+({re.escape(prefix)}[^\s]*)", body)[1]


def sign_up_for_the_newsletter(page, email):
    page.goto("/newsletter/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label(re.compile("Ja, ich möchte den Newsletter")).check()
    page.get_by_role("button", name="Zum Newsletter anmelden").click()


def test_a_reader_signs_up_for_the_newsletter_and_confirms_by_the_link(page, mailoutbox):
    sign_up_for_the_newsletter(page, "anna@example.org")
    assert "Fast geschafft" in page.locator("main").text_content()

    page.goto(path_in(mailoutbox, "/newsletter/bestaetigen/"))
    page.get_by_role("button", name="Anmeldung bestätigen").click()

    assert page.locator("h1").text_content() == "Newsletter bestätigt"
    assert NewsletterConsent.objects.get().confirmed_at is not None


def test_a_subscriber_logs_in_by_link_and_changes_the_delivery_address(page, mailoutbox):
    erika = make_subscriber(name="Erika Mustermann", email="erika@example.org")
    make_subscription(erika, make_plan(name="Print-Magazin, jährlich"))

    page.goto("/abo/")
    page.get_by_label("E-Mail-Adresse Ihres Abonnements").fill("erika@example.org")
    page.get_by_role("button", name="Anmeldelink anfordern").click()
    page.goto(path_in(mailoutbox, "/abo/anmelden/"))
    page.get_by_role("button", name="Jetzt anmelden").click()
    assert "Print-Magazin, jährlich" in page.locator("main").text_content()
    page.get_by_label("Straße und Hausnummer").fill("Neue Straße 5")
    page.get_by_label("PLZ").fill("01067")
    page.get_by_role("button", name="Anschrift speichern").click()

    assert "Ihre Anschrift ist geändert." in page.locator("main").text_content()
    erika.refresh_from_db()
    assert (erika.street, erika.postcode) == ("Neue Straße 5", "01067")


def test_a_reader_filters_the_it_guide_opens_a_vendor_goes_back_and_an_ad_click_counts(page):
    geo = make_category("Geoinformation", slug="geo")
    make_vendor("con terra GmbH", [geo], slug="con-terra")
    make_vendor("Anderes GmbH", [make_category("Finanzwesen", slug="finanzen")], slug="anderes")
    campaign = make_campaign(slots=["sidebar-top"])
    page.route("https://werbekunde.example/**", lambda route: route.fulfill(body="Werbekunde"))

    page.goto("/it-guide/")
    page.get_by_label("Kategorie").select_option(label="Geoinformation")
    page.locator(".directory-form").get_by_role("button").click()
    names = page.locator(".vendor-card__name").all_text_contents()
    assert names == ["con terra GmbH"]
    page.get_by_role("link", name="con terra GmbH").first.click()
    assert page.locator("h1").text_content().strip() == "con terra GmbH"
    page.go_back()
    assert "kategorie=" in page.url

    page.frame_locator(".ad__frame--sidebar-top").locator("a").click()
    page.wait_for_url(f"https://werbekunde.example/{campaign.pk}/sidebar-top")

    assert AdDay.objects.filter(creative__campaign=campaign).aggregate(n=Sum("clicks"))["n"] == 1


def test_withdrawing_with_the_keyboard_alone(page, mailoutbox):
    erika = make_subscriber(name="Erika Mustermann", email="erika@example.org")
    contract = make_subscription(
        erika, make_plan(), starts_on=timezone.localdate(), ordered_online=True
    )
    page.goto("/")

    tab_to(page, "document.activeElement.textContent.trim() === 'Vertrag widerrufen'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/abo/widerrufen/")
    tab_to(page, "document.activeElement.id === 'id_name'")
    page.keyboard.type("Erika Mustermann")
    page.keyboard.press("Tab")
    page.keyboard.type("erika@example.org")
    tab_to(page, "document.activeElement.id === 'id_email'")
    page.keyboard.type("erika@example.org")
    tab_to(page, "document.activeElement.textContent.trim() === 'Widerruf bestätigen'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/abo/erklaerung/**")

    assert page.locator("h1").text_content() == "Ihr Widerruf ist eingegangen"
    assert arrived(mailoutbox, "Eingangsbestätigung Ihres Widerrufs").to == ["erika@example.org"]
    assert arrived(mailoutbox, "Der Vertrag ist widerrufen.").to == [erika.email]
    contract.refresh_from_db()
    assert contract.status == Subscription.Status.WITHDRAWN


def log_in(page, username):
    """Password, then (superusers, the Aboverwaltung) the app's code: set up on first use."""
    page.goto("/admin/login/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()
    if "/zweiter-faktor/einrichten/" in page.url:
        page.get_by_label("Code").fill(app_code(username, confirmed=False))
        page.get_by_role("button", name="Einrichten").click()
        page.get_by_role("link", name="Weiter", exact=True).click()
    elif "/zweiter-faktor/" in page.url:
        page.get_by_label("Code").fill(app_code(username, confirmed=True))
        page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/admin/")


def app_code(username, confirmed):
    """What the authenticator app shows now for the device set up (or being set up)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username, confirmed=confirmed)
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def insert_link(page, text, url):
    """A new paragraph, its words selected, linked through the editor's link dialog."""
    page.keyboard.press("Enter")
    page.keyboard.type(text)
    page.keyboard.press("Shift+Home")
    page.get_by_role("button", name="Link einfügen").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("URL").fill(url)
    dialog.get_by_role("button", name="Link einfügen").click()
    # To the end of the line, as a person would (tests/e2e/editor.py says why it waits).
    to_end_of_line(page)
    page.keyboard.press("Enter")


def insert_picture(page, search):
    """A picture from the archive: "Bild einfügen", "Durchsuchen …", choose it in the popup."""
    page.get_by_role("button", name="Bild einfügen").click()
    dialog = page.locator("dialog[open]")
    with page.expect_popup() as popup:
        dialog.get_by_role("button", name="Durchsuchen …").click()
    picker = popup.value
    picker.get_by_label("Bilder durchsuchen").fill(search)
    picker.keyboard.press("Enter")
    choose = picker.get_by_role("button", name=re.compile("^Einfügen")).first
    choose.wait_for()
    with picker.expect_event("close"):
        # The picker closes itself on the click; clicked from a timer, so that
        # Playwright's own steps after a click do not meet a closed page (they
        # did, now and then, in CI: TargetClosedError).
        choose.evaluate("button => setTimeout(() => button.click())")
    expect(dialog.get_by_label("Bildunterschrift")).not_to_be_empty()
    dialog.get_by_role("button", name="Einfügen", exact=True).click()


def test_an_editor_writes_an_article_the_chief_publishes_it_and_readers_see_it(
    page, chromium, live_server, django_user_model
):
    make_section("Politik", slug="politik")
    picture = make_image(
        caption="Das Bürgeramt in Fürth.",
        alt_text="Wartebereich eines Bürgeramts mit Terminanzeige",
    )
    make_renditions(picture)
    make_staff(django_user_model, "redakteurin", "Redaktion")
    make_staff(django_user_model, "chefin", "Chefredaktion")

    log_in(page, "redakteurin")
    page.goto("/admin/articles/article/add/")
    page.locator(".field-section .select2-selection").click()  # the admin's autocomplete
    page.locator(".select2-container--open .select2-search__field").fill("Poli")
    page.locator(".select2-results__option", has_text="Politik").click()
    page.get_by_label("Dachzeile").fill("Bayern")
    page.get_by_label("Überschrift").fill("Neues Onlinezugangsgesetz in Kraft")
    page.get_by_label("Vorspann").fill("Der Landtag hat das Gesetz beschlossen.")
    editor = page.locator(".ProseMirror >> visible=true").first
    editor.click()
    page.keyboard.type("Das Gesetz gilt ab Januar. ")
    page.keyboard.press("Control+b")
    page.keyboard.type("Wichtig")
    page.keyboard.press("Control+b")
    insert_link(page, "Mehr beim Bundesamt", "https://www.bsi.bund.de/")
    insert_picture(page, "Bürgeramt")
    page.get_by_role("button", name="Zur Prüfung einreichen").click()
    page.wait_for_url("**/admin/articles/article/*/change/")
    article = Article.objects.get(headline="Neues Onlinezugangsgesetz in Kraft")
    assert article.status == Article.Status.REVIEW
    assert "<strong>Wichtig</strong>" in article.body
    assert (
        '<a href="https://www.bsi.bund.de/" rel="noopener noreferrer">Mehr beim Bundesamt</a>'
        in article.body
    )
    assert f'data-file="{picture.pk}"' in article.body

    chief = chromium.new_context(**browser_settings(live_server)).new_page()
    log_in(chief, "chefin")
    chief.goto(f"/admin/articles/article/{article.pk}/change/")
    chief.get_by_role("button", name="Veröffentlichen").click()
    chief.wait_for_load_state()
    assert "ist veröffentlicht" in chief.locator(".messagelist").inner_text()
    chief.context.close()

    page.context.clear_cookies()
    page.goto("/")
    page.get_by_role("link", name=re.compile("Neues Onlinezugangsgesetz in Kraft")).first.click()
    body = page.locator(".article__body")
    assert "Wichtig" in body.text_content()
    assert body.get_by_role("link", name="Mehr beim Bundesamt").get_attribute("href") == (
        "https://www.bsi.bund.de/"
    )
    figure = body.locator("figure")
    assert figure.get_by_role("img").get_attribute("alt") == picture.alt_text
    assert figure.locator("figcaption").text_content() == "Das Bürgeramt in Fürth."
