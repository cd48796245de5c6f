"""Journeys as people make them, in the browser."""

import re

import pytest

from subscriptions.models import Declaration, Subscription
from tests.factories import (
    make_article,
    make_image,
    make_plan,
    make_section,
    make_subscriber,
    make_subscription,
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
    contract.refresh_from_db()
    assert heading == "Ihre Kündigung ist eingegangen"
    assert re.search(r"\d{2}:\d{2}:\d{2} Uhr", page.locator(".declaration").text_content())
    assert contract.status == Subscription.Status.CANCELLED
    assert Declaration.objects.count() == 1
    assert any("Eingangsbestätigung Ihrer Kündigung" in m.subject for m in mailoutbox)


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
