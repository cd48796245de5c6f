"""Issue 24, point 1 in the browser: nothing typed is lost.

An editor types into the headline and the body, the autosave keeps it, the
tab is closed by mistake, and opening the form again offers it back; leaving
a changed form asks first; Ctrl+S saves; "Vorschau" shows what the form
holds now, in a window of its own, with a way back.
"""

import contextlib
import os
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from articles.autosave import Autosave
from articles.models import Article
from articles.revisions import save_revision
from tests.conftest import make_staff
from tests.e2e.test_accessibility import violations
from tests.e2e.test_journeys import log_in
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(os.environ.get("PORTAL_SHOTS", Path(__file__).parent / "screenshots"))
SENTENCE = "Der Landtag berät den Entwurf am Donnerstag."


@pytest.fixture
def draft(django_user_model):
    make_staff(django_user_model, "redakteurin", "Redaktion")
    article = make_article(
        section=make_section("Politik", slug="politik"),
        status=Article.Status.DRAFT,
        headline="Digitalstrategie überarbeitet",
        body="<p>Die Staatsregierung hat ihre Strategie vorgelegt.</p>",
    )
    save_revision(article, comment="Angelegt")
    return article


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def type_into_body(page, text):
    """A new paragraph at the end of the rich-text editor."""
    editor = page.locator(".ProseMirror >> visible=true").first
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type(text)


def wait_for(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not within time"
        time.sleep(0.1)


def test_point_1_a_closed_tab_gives_the_text_back_and_ctrl_s_saves(page, draft):
    log_in(page, "redakteurin")
    page.goto(change_url(draft))
    page.get_by_label("Überschrift").fill("Digitalstrategie beschlossen")
    type_into_body(page, SENTENCE)
    expect(
        page.get_by_role("status").filter(has_text="Zwischenstand gesichert um")
    ).to_be_visible()
    revisions = draft.revisions.count()

    page.close()  # by mistake, without saving
    page = page.context.new_page()
    page.goto(change_url(draft))

    offer = page.locator(".autosave-offer")
    expect(offer).to_be_visible()
    expect(offer.get_by_role("heading")).to_have_text(
        re.compile(
            r"^Ungespeicherte Änderungen vom \d{1,2}\.\d{1,2}\.\d{4}, \d\d:\d\d:\d\d "
            r"wiederherstellen\?$"
        )
    )
    expect(offer).to_contain_text("Überschrift, Text")
    # Nothing is put into the form before the editor says so.
    expect(page.get_by_label("Überschrift")).to_have_value("Digitalstrategie überarbeitet")
    assert violations(page) == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "autosave-offer.png")

    offer.get_by_role("button", name="Wiederherstellen").click()

    expect(offer).to_be_hidden()
    expect(page.get_by_label("Überschrift")).to_have_value("Digitalstrategie beschlossen")
    expect(page.locator(".ProseMirror >> visible=true")).to_contain_text(SENTENCE)
    assert draft.revisions.count() == revisions  # autosaves are no versions

    page.locator(".ProseMirror >> visible=true").click()  # the editor's keys must not win
    page.keyboard.press("Control+s")

    expect(page.locator(".messagelist")).to_contain_text("gespeichert")
    assert page.url.endswith(change_url(draft))
    draft.refresh_from_db()
    assert draft.headline == "Digitalstrategie beschlossen"
    assert SENTENCE in draft.body
    assert draft.revisions.count() == revisions + 1
    assert not Autosave.objects.exists()  # the save took its place
    page.reload()
    expect(page.locator(".autosave-offer")).to_be_hidden()


def test_point_1_a_restored_autosave_never_overwrites_a_later_save_unseen(
    page, draft, django_user_model
):
    colleague = make_staff(django_user_model, "kollegin", "Redaktion")
    log_in(page, "redakteurin")
    page.goto(change_url(draft))
    page.get_by_label("Überschrift").fill("Meine Überschrift")
    expect(
        page.get_by_role("status").filter(has_text="Zwischenstand gesichert um")
    ).to_be_visible()
    page.close()
    draft.headline = "Ihre Überschrift"  # meanwhile, a colleague saves
    draft.save()
    save_revision(draft, colleague, "Geändert: Überschrift")

    page = page.context.new_page()
    page.goto(change_url(draft))
    offer = page.locator(".autosave-offer")
    expect(offer).to_contain_text("Der Artikel wurde danach von kollegin gespeichert")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "autosave-offer-saved-since.png")
    offer.get_by_role("button", name="Wiederherstellen").click()
    page.keyboard.press("Control+s")

    # The field-by-field conflict (point 7): both changed the headline, nothing chosen yet.
    conflict = page.locator("section.conflict")
    expect(conflict).to_contain_text("inzwischen von kollegin geändert")
    expect(conflict).to_contain_text("Überschrift")
    page.screenshot(path=SHOTS / "autosave-conflict-after-restore.png", full_page=True)
    draft.refresh_from_db()
    assert draft.headline == "Ihre Überschrift"
    expect(page.get_by_label("Überschrift")).to_have_value("Meine Überschrift")


def test_point_1_leaving_a_changed_form_asks_first_and_what_was_typed_is_kept(page, draft):
    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    log_in(page, "redakteurin")
    page.on("dialog", stay)
    page.goto(change_url(draft))

    page.get_by_role("link", name="Versionen").click()  # nothing changed: no question
    page.go_back()
    assert dialogs == []

    type_into_body(page, SENTENCE)
    page.get_by_role("link", name="Versionen").click()  # dismissed: the editor stays

    assert dialogs == ["beforeunload"]
    assert page.url.endswith(change_url(draft))
    expect(page.locator(".ProseMirror >> visible=true")).to_contain_text(SENTENCE)

    # Closed at once, before the timer's autosave: it goes as the page goes.
    page.remove_listener("dialog", stay)
    page.on("dialog", lambda dialog: dialog.accept())
    with page.expect_event("close"):
        page.close(run_before_unload=True)
    wait_for(lambda: Autosave.objects.filter(article=draft).exists())
    fields = dict(map(tuple, Autosave.objects.get(article=draft).data["fields"]))
    assert SENTENCE in fields["body"]


def test_point_1_no_question_after_a_save(page, draft):
    dialogs = []
    log_in(page, "redakteurin")
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.goto(change_url(draft))
    type_into_body(page, SENTENCE)

    page.locator("button[name=_workflow][value=save]").click()
    expect(page.locator(".messagelist")).to_contain_text("gespeichert")
    page.get_by_role("link", name="Versionen").click()

    assert dialogs == []
    page.wait_for_url("**/versionen/")
    assert not Autosave.objects.exists()


def test_point_1_preview_shows_the_unsaved_state_in_its_own_window(page, draft):
    log_in(page, "redakteurin")
    page.goto(change_url(draft))
    page.get_by_label("Überschrift").fill("Digitalstrategie beschlossen")
    type_into_body(page, SENTENCE)

    with page.expect_popup() as opened:
        page.get_by_role("button", name="Vorschau", exact=True).click()
    preview = opened.value
    preview.wait_for_load_state()

    expect(preview.locator(".article__title")).to_contain_text("Digitalstrategie beschlossen")
    expect(preview.locator(".article__body")).to_contain_text(SENTENCE)
    expect(preview.locator(".preview-banner")).to_contain_text("Gespeichert ist davon noch nichts")
    assert violations(preview) == []
    preview.screenshot(path=SHOTS / "autosave-preview.png")

    # Once more after another change: the same window, not a second one.
    type_into_body(page, "Noch ein Satz.")
    popups = []
    page.context.on("page", lambda new: popups.append(new))
    page.get_by_role("button", name="Vorschau", exact=True).click()
    expect(preview.locator(".article__body")).to_contain_text("Noch ein Satz.")
    assert popups == []

    # The window closes itself on this click, sometimes before the click's own
    # bookkeeping ends (TargetClosedError): that is what it should do.
    with preview.expect_event("close"), contextlib.suppress(PlaywrightError):
        preview.get_by_role("link", name="Zurück zum Bearbeiten").click(no_wait_after=True)
    assert preview.is_closed()
    expect(page.locator(".ProseMirror >> visible=true")).to_contain_text("Noch ein Satz.")
    draft.refresh_from_db()
    assert draft.headline == "Digitalstrategie überarbeitet"  # the preview saved nothing


def test_point_1_a_new_article_comes_back_after_the_tab_was_closed(page, draft):
    log_in(page, "redakteurin")
    page.goto("/admin/articles/article/add/")
    expect(page.get_by_label("Überschrift")).to_be_focused()  # not the preview button
    page.locator(".field-section .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("Poli")
    page.locator(".select2-results__option", has_text="Politik").click()
    page.get_by_label("Überschrift").fill("Breitband für alle Schulen")
    page.get_by_label("Vorspann").fill("Das Land fördert den Anschluss.")
    type_into_body(page, SENTENCE)
    expect(
        page.get_by_role("status").filter(has_text="Zwischenstand gesichert um")
    ).to_be_visible()

    page.close()
    page = page.context.new_page()
    page.goto("/admin/articles/article/add/")
    offer = page.locator(".autosave-offer")
    expect(offer.get_by_role("heading")).to_contain_text(
        "Ungespeicherten neuen Artikel „Breitband für alle Schulen“ vom"
    )
    expect(offer).to_contain_text("Ausgefüllt: Überschrift, Bereich, Vorspann, Text.")
    page.screenshot(path=SHOTS / "autosave-offer-new.png")
    offer.get_by_role("button", name="Wiederherstellen").click()

    expect(page.get_by_label("Vorspann")).to_have_value("Das Land fördert den Anschluss.")
    expect(page.locator(".field-section .select2-selection")).to_contain_text("Politik")
    expect(page.locator(".ProseMirror >> visible=true")).to_contain_text(SENTENCE)
    page.locator("button[name=_workflow][value=save]").click()
    page.wait_for_url("**/admin/articles/article/*/change/")

    article = Article.objects.get(headline="Breitband für alle Schulen")
    assert SENTENCE in article.body and article.section.name == "Politik"
    assert not Autosave.objects.exists()
