"""The review desk in the browser at 1280 px (issue 24, points 3 and 4), as "Done means"
tells it: the Redaktion submits with a note; the Chefredaktion sees it on the start page,
sends it back with a note, then publishes it; later a correction to the live article is
drafted and goes live only when published. The publishing bar is in view throughout."""

import shutil
from pathlib import Path

import pytest

from articles.models import Article
from subscriptions.models import OutgoingMail
from tests.conftest import make_staff
from tests.e2e.conftest import SCREENSHOTS, browser_settings
from tests.e2e.test_accessibility import violations
from tests.e2e.test_journeys import log_in
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/work/helpers/shots")


def shot(page, name, full_page=False):
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"review-{name}.png"
    page.screenshot(path=path, full_page=full_page)
    if SHOTS.is_dir():
        shutil.copy(path, SHOTS / path.name)


def bar_in_view(page):
    """The bar's box lies inside the window, whatever has been scrolled."""
    box = page.locator(".desk-bar").bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


@pytest.fixture
def newsroom(django_user_model):
    editor = make_staff(django_user_model, "redakteurin", "Redaktion")
    editor.first_name, editor.last_name = "Rita", "Redlich"
    editor.save()
    chief = make_staff(django_user_model, "chefin", "Chefredaktion")
    chief.first_name, chief.last_name = "Clara", "Chef"
    chief.save()
    section = make_section("Politik", slug="politik")
    draft = make_article(
        section=section,
        status=Article.Status.DRAFT,
        kicker="Sachsen",
        headline="Digitalstrategie überarbeitet",
        body="".join(f"<p>Absatz {n} der Strategie mit vielen Worten.</p>" for n in range(30)),
        author=editor,
    )
    return {"editor": editor, "chief": chief, "draft": draft}


def test_point_3_and_4_submit_return_publish_and_correct_a_live_article(
    page, chromium, live_server, newsroom
):
    draft = newsroom["draft"]
    form = f"/admin/articles/article/{draft.pk}/change/"

    # The Redaktion submits with a note; the bar is in view without scrolling.
    log_in(page, "redakteurin")
    page.goto(form)
    assert bar_in_view(page)
    assert page.get_by_role("button", name="Veröffentlichen").count() == 0
    page.mouse.wheel(0, 1500)
    page.wait_for_timeout(200)
    assert bar_in_view(page)
    shot(page, "bar-redaktion")
    page.get_by_label("Hinweis zum Einreichen oder Zurückgeben").fill("Bitte die Zahlen prüfen.")
    page.get_by_role("button", name="Zur Prüfung einreichen").click()
    page.wait_for_load_state()
    assert "ist zur Prüfung eingereicht" in page.locator(".messagelist").inner_text()

    # The Chefredaktion sees it on the start page with who and when, and sends it back.
    chief_context = chromium.new_context(**browser_settings(live_server))
    chief = chief_context.new_page()
    chief.set_default_timeout(15_000)
    log_in(chief, "chefin")
    queue = chief.locator(".desk-queue")
    assert "Sachsen: Digitalstrategie überarbeitet" in queue.inner_text()
    assert "Rita Redlich" in queue.inner_text()
    assert "Bitte die Zahlen prüfen." in queue.inner_text()
    assert violations(chief) == []
    shot(chief, "start-page-queue")
    queue.get_by_role("link", name="Sachsen: Digitalstrategie überarbeitet").click()
    assert "Bitte die Zahlen prüfen." in chief.locator(".desk-note").inner_text()
    assert bar_in_view(chief)
    shot(chief, "bar-chefredaktion")
    chief.get_by_label("Hinweis zum Einreichen oder Zurückgeben").fill(
        "Quelle für die 2,4 Mio. Euro fehlt."
    )
    chief.get_by_role("button", name="Zurück an die Redaktion").click()
    chief.wait_for_load_state()

    # The Redaktion reads the note on the form, and submits again.
    page.goto("/admin/")
    assert "Quelle für die 2,4 Mio. Euro fehlt." in page.locator(".desk-queue").inner_text()
    page.goto(form)
    note = page.locator(".desk-note")
    assert "Zurück an die Redaktion" in note.get_by_role("heading").inner_text()
    assert "von Clara Chef am" in note.inner_text()
    assert "Quelle für die 2,4 Mio. Euro fehlt." in note.inner_text()
    assert violations(page) == []
    shot(page, "sent-back")
    page.get_by_label("Hinweis zum Einreichen oder Zurückgeben").fill("Quelle ergänzt.")
    page.get_by_role("button", name="Zur Prüfung einreichen").click()
    page.wait_for_load_state()

    # The Chefredaktion publishes it.
    chief.goto(form)
    chief.get_by_role("button", name="Veröffentlichen").click()
    chief.wait_for_load_state()
    assert "ist veröffentlicht" in chief.locator(".messagelist").inner_text()
    draft.refresh_from_db()
    assert draft.is_visible
    page.goto(draft.get_absolute_url())
    assert page.get_by_role("heading", name="Digitalstrategie überarbeitet").count() == 1

    # Later a correction is drafted: readers keep the live version until it is published.
    chief.goto(form)
    chief.get_by_label("Überschrift").fill("Digitalstrategie neu gefasst")
    chief.get_by_role("button", name="Speichern").click()
    chief.wait_for_load_state()
    assert "Entwurf der Änderung" in chief.locator(".messagelist").inner_text()
    assert chief.get_by_label("Überschrift").input_value() == "Digitalstrategie neu gefasst"
    shot(chief, "draft-of-live")
    page.goto(draft.get_absolute_url())
    assert page.get_by_role("heading", name="Digitalstrategie überarbeitet").count() == 1
    chief.get_by_role("button", name="Änderungen veröffentlichen").click()
    chief.wait_for_load_state()
    page.goto(f"/artikel/{draft.pk}/")
    assert page.get_by_role("heading", name="Digitalstrategie neu gefasst").count() == 1

    told = OutgoingMail.objects.order_by("pk").values_list("to", "subject")
    assert list(told)[:3] == [
        (
            "chefin@verwaltung-digital.example",
            "Zur Prüfung: Sachsen: Digitalstrategie überarbeitet",
        ),
        (
            "redakteurin@verwaltung-digital.example",
            "Zurück an die Redaktion: Sachsen: Digitalstrategie überarbeitet",
        ),
        (
            "chefin@verwaltung-digital.example",
            "Zur Prüfung: Sachsen: Digitalstrategie überarbeitet",
        ),
    ]
    chief_context.close()
