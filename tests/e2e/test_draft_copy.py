"""The draft of a change to a live article in two browsers (issue 24, points 4 and 7): the
Redaktion proposing it and the Chefredaktion see each other, the second save into the draft
settles field by field, and restoring an old version drafts it."""

import re
from pathlib import Path

import pytest

from articles.models import Article
from articles.review import WorkingCopy
from articles.revisions import save_revision
from tests.conftest import make_staff
from tests.e2e.test_accessibility import violations
from tests.e2e.test_journeys import log_in
from tests.e2e.test_presence import ping, two_browsers  # noqa: F401 - a fixture
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/work/helpers/shots")


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"draftcopy-{name}.png", full_page=True)


@pytest.fixture
def live(django_user_model):
    for username, first, last, group in [
        ("rredlich", "Rita", "Redlich", "Redaktion"),
        ("cchef", "Clara", "Chef", "Chefredaktion"),
    ]:
        user = make_staff(django_user_model, username, group)
        user.first_name, user.last_name = first, last
        user.save()
    article = make_article(
        section=make_section("Politik", slug="politik"),
        headline="Digitalstrategie überarbeitet",
        teaser="Die Strategie liegt vor.",
        body="<p>Das Kabinett hat die Digitalstrategie beschlossen.</p>",
    )
    save_revision(article, comment="Angelegt")
    return article


def test_point_7_two_people_on_the_draft_of_a_live_article(two_browsers, live):  # noqa: F811
    rita, clara = two_browsers
    log_in(rita, "rredlich")
    log_in(clara, "cchef")
    form = f"/admin/articles/article/{live.pk}/change/"

    # Point 4: the Redaktion proposing a change is seen, and sees who else is there.
    clara.goto(form)
    rita.goto(form)
    assert re.fullmatch(
        r"Auch geöffnet von Clara Chef seit \d\d:\d\d Uhr",
        rita.locator("#presence-note").inner_text(),
    )
    ping(clara)
    clara.locator("#presence-note").get_by_text("Auch geöffnet von Rita Redlich").wait_for()

    # Clara drafts a new teaser; Rita, meanwhile, a new headline.
    clara.get_by_label("Vorspann").fill("Die Strategie liegt vor und gilt ab Januar.")
    clara.locator("button[name=_workflow][value=save]").click()
    clara.locator(".messagelist").get_by_text("Entwurf der Änderung").wait_for()
    rita.get_by_label("Überschrift").fill("Digitalstrategie beschlossen")
    rita.locator("button[name=_workflow][value=save]").click()

    heading = rita.locator("#conflict-heading")
    assert re.fullmatch(
        r"Der Entwurf der Änderung wurde inzwischen von Clara Chef gespeichert "
        r"\(\d{1,2}\.\d{1,2}\.\d{4}, \d\d:\d\d:\d\d Uhr\)",
        heading.inner_text(),
    )
    teaser = rita.get_by_role("group", name=re.compile("^Vorspann"))
    assert teaser.get_by_label("Die von Clara Chef behalten").is_checked()
    assert violations(rita) == []
    shot(rita, "conflict")

    rita.locator("button[name=_workflow][value=save]").click()
    rita.locator(".messagelist").get_by_text("Entwurf der Änderung").wait_for()
    draft = WorkingCopy.objects.get(article=live).data
    assert (draft["headline"], draft["teaser"]) == (
        "Digitalstrategie beschlossen",
        "Die Strategie liegt vor und gilt ab Januar.",
    )
    live.refresh_from_db()
    assert (live.headline, live.teaser) == (
        "Digitalstrategie überarbeitet",
        "Die Strategie liegt vor.",
    )

    # Restoring version 1 asks first, says where it goes, and leaves the live article.
    rita.goto(f"/admin/articles/article/{live.pk}/versionen/1/wiederherstellen/")
    assert rita.get_by_text("kommt in den Entwurf der Änderung").is_visible()
    assert violations(rita) == []
    shot(rita, "restore")
    rita.get_by_role("button", name="Version 1 in den Entwurf übernehmen").click()
    rita.get_by_text("Version 1 steht jetzt im Entwurf der Änderung").wait_for()
    assert rita.get_by_label("Überschrift").input_value() == "Digitalstrategie überarbeitet"
    assert WorkingCopy.objects.get(article=live).data["teaser"] == "Die Strategie liegt vor."
    live.refresh_from_db()
    assert live.status == Article.Status.PUBLISHED
    assert live.revisions.count() == 1
