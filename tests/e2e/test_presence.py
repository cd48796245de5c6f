"""Two editors in two browsers (issue 24, point 7): each sees that the other has the article
open, the second to save settles the conflict field by field, and restoring asks first."""

import re
from pathlib import Path

import pytest

from articles.models import Article
from articles.revisions import save_revision
from tests.conftest import make_staff
from tests.e2e.conftest import browser_settings, close_every_page
from tests.e2e.test_accessibility import violations
from tests.e2e.test_journeys import log_in
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/work/helpers/shots")


@pytest.fixture
def newsroom(django_user_model):
    people = {}
    for username, first, last in [
        ("anna", "Anna", "Albers"),
        ("mmueller", "Maximiliane", "Müller"),
    ]:
        user = make_staff(django_user_model, username, "Redaktion")
        user.first_name, user.last_name = first, last
        user.save()
        people[username] = user
    article = make_article(
        section=make_section("Politik", slug="politik"),
        status=Article.Status.DRAFT,
        headline="Digitalstrategie überarbeitet",
        teaser="Die Strategie liegt vor.",
        body="<p>Das Kabinett hat die Digitalstrategie beschlossen.</p>",
        author=people["anna"],
    )
    save_revision(article, people["anna"], "Angelegt")
    return article


@pytest.fixture
def two_browsers(chromium, live_server):
    contexts = [chromium.new_context(**browser_settings(live_server)) for _ in range(2)]
    pages = [context.new_page() for context in contexts]
    for page in pages:
        page.set_default_timeout(15_000)
    yield pages
    close_every_page(chromium)


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"presence-{name}.png", full_page=True)


def ping(page):
    """The form's next announcement now rather than in 20 seconds."""
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")


def test_point_7_two_editors_see_each_other_and_settle_a_conflict_field_by_field(
    two_browsers, newsroom
):
    anna, maxi = two_browsers
    log_in(anna, "anna")
    log_in(maxi, "mmueller")
    form = f"/admin/articles/article/{newsroom.pk}/change/"

    maxi.goto(form)
    assert maxi.locator("#presence-note").is_hidden()  # nobody else yet
    anna.goto(form)
    note = anna.locator("#presence-note")
    assert re.fullmatch(
        r"Auch geöffnet von Maximiliane Müller seit \d\d:\d\d Uhr", note.inner_text()
    )
    shot(anna, "note")
    ping(maxi)
    maxis_note = maxi.locator("#presence-note")
    maxis_note.get_by_text("Auch geöffnet von Anna Albers").wait_for()

    # Maximiliane changes the teaser and saves; Anna, meanwhile, the headline.
    maxi.get_by_label("Vorspann").fill("Die Strategie liegt vor und gilt ab Januar.")
    maxi.locator("button[name=_workflow][value=save]").click()
    maxi.wait_for_load_state()
    anna.get_by_label("Überschrift").fill("Digitalstrategie beschlossen")
    anna.locator("button[name=_workflow][value=save]").click()

    heading = anna.locator("#conflict-heading")
    assert re.fullmatch(
        r"Dieser Artikel wurde inzwischen von Maximiliane Müller geändert "
        r"\(\d{1,2}\.\d{1,2}\.\d{4}, \d\d:\d\d:\d\d Uhr\)",
        heading.inner_text(),
    )
    assert anna.locator(".errornote").count() == 0  # not "Bitte korrigieren Sie ..."
    headline = anna.get_by_role("group", name=re.compile("^Überschrift"))
    teaser = anna.get_by_role("group", name=re.compile("^Vorspann"))
    assert headline.get_by_label("Meine übernehmen").is_checked()  # only I changed it
    assert teaser.get_by_label("Die von Maximiliane Müller behalten").is_checked()  # only she did
    assert "gilt ab Januar" in teaser.inner_text()
    assert violations(anna) == []
    shot(anna, "conflict")

    anna.locator("button[name=_workflow][value=save]").click()
    anna.locator(".messagelist").get_by_text("gespeichert").first.wait_for()
    newsroom.refresh_from_db()
    assert newsroom.headline == "Digitalstrategie beschlossen"  # hers
    assert newsroom.teaser == "Die Strategie liegt vor und gilt ab Januar."  # and Maximiliane's

    # Anna leaves the form: Maximiliane's note goes at once, not after a minute.
    anna.goto("/admin/")
    ping(maxi)
    maxis_note.wait_for(state="hidden")

    # Restoring asks first and shows the old version.
    maxi.goto(f"/admin/articles/article/{newsroom.pk}/versionen/")
    maxi.get_by_role("link", name="Version 1 ansehen und wiederherstellen").click()
    assert maxi.get_by_role("heading", name="Version 1 wiederherstellen?").is_visible()
    assert maxi.locator(".restore__headline").inner_text() == "Digitalstrategie überarbeitet"
    changes = maxi.locator("table.diff")  # today's struck, the old one underlined
    assert changes.locator("del").all_inner_texts()[0] == "beschlossen"
    assert changes.locator("ins").all_inner_texts()[0] == "überarbeitet"
    assert violations(maxi) == []
    shot(maxi, "restore")
    maxi.get_by_role("button", name="Version 1 wiederherstellen").click()
    maxi.get_by_text("Version 1 wiederhergestellt").wait_for()
    newsroom.refresh_from_db()
    assert newsroom.headline == "Digitalstrategie überarbeitet"
    assert newsroom.revisions.first().comment.startswith("Wiederhergestellt aus Version 1 vom ")
