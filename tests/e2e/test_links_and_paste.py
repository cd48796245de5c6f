"""Issue 24, point 2 in the browser: paste, links typed without scheme, our articles
found from the link dialog, and pictures only from the library."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.conftest import make_staff
from tests.e2e.editor import to_end_of_line
from tests.e2e.test_journeys import log_in
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db(transaction=True)

# Where people look at the dialogs; the lead's helpers set it, CI does not.
SHOTS = Path(os.environ.get("PORTAL_SHOTS", Path(__file__).parent / "screenshots"))

PASTED = (
    "<p>Die Verwaltung digitalisiert mit hohem Tempo.<sup>1</sup> "
    "Der Ausstoß an CO<sub>2</sub> sinkt."
    '<img src="https://px.tracker.example/open.gif?u=7" width="1" height="1">'
    "<br><br></p>"
)


def paste_html(page, html):
    """What the browser does when HTML from another page is pasted into the editor."""
    page.locator(".ProseMirror >> visible=true").first.evaluate(
        """(editor, html) => {
            const data = new DataTransfer()
            data.setData("text/html", html)
            data.setData("text/plain", "")
            editor.dispatchEvent(new ClipboardEvent("paste", {
                clipboardData: data, bubbles: true, cancelable: true,
            }))
        }""",
        html,
    )


def select_new_line(page, text):
    """A new paragraph, its words selected (as insert_link in test_journeys does)."""
    to_end_of_line(page)
    page.keyboard.press("Enter")
    page.keyboard.type(text)
    page.keyboard.press("Shift+Home")


def test_point_2_paste_keeps_superscript_drops_pixel_and_breaks_and_links_get_https(
    page, django_user_model
):
    section = make_section("Politik", slug="politik")
    ours = make_article(
        section=section, kicker="Bund", headline="Registermodernisierung kommt voran"
    )
    make_article(
        section=section,
        headline="Registermodernisierung: Entwurf",
        status=Article.Status.DRAFT,
    )
    make_staff(django_user_model, "redakteurin", "Redaktion")

    log_in(page, "redakteurin")
    page.goto("/admin/articles/article/add/")
    page.locator(".field-section .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("Poli")
    page.locator(".select2-results__option", has_text="Politik").click()
    page.get_by_label("Überschrift").fill("Tempo bei der Digitalisierung")
    page.get_by_label("Vorspann").fill("Ein Bericht zum Stand.")
    editor = page.locator(".ProseMirror >> visible=true").first
    editor.click()

    paste_html(page, PASTED)

    notice = page.locator(".portal-paste-notice")
    expect(notice).to_contain_text("Zählpixel von px.tracker.example")
    expect(notice).to_contain_text("2 Zeilenumbrüche am Absatzende")
    expect(editor.locator("sup")).to_have_text("1")
    expect(editor.locator("sub")).to_have_text("2")
    expect(editor.locator("img")).to_have_count(0)

    # Typed without https://, as people copy it from a letter.
    select_new_line(page, "Bericht des IT-Planungsrats")
    page.get_by_role("button", name="Link einfügen").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("Adresse (URL)").fill("www.it-planungsrat.de/bericht-2026")
    dialog.get_by_role("button", name="Link einfügen").click()
    expect(dialog).to_have_count(0)

    # One of our own articles, found by searching in the dialog.
    select_new_line(page, "unsere Meldung")
    page.get_by_role("button", name="Link einfügen").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("Artikel suchen").fill("Registermodern")
    dialog.get_by_label("Artikel suchen").press("Enter")
    expect(dialog.get_by_role("status")).to_contain_text("2 Artikel gefunden")
    expect(dialog.locator(".portal-link-result").nth(1)).to_contain_text("Entwurf")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "paste-link-dialog-search.png")
    dialog.get_by_role("button", name="Bund: Registermodernisierung kommt voran").click()
    expect(dialog.get_by_label("Adresse (URL)")).to_have_value(
        f"{page.url.split('/admin/')[0]}{ours.get_absolute_url()}"
    )
    dialog.get_by_role("button", name="Link einfügen").click()
    expect(dialog).to_have_count(0)

    # A picture only from the library: no address from elsewhere can be typed.
    page.get_by_role("button", name="Bild einfügen").click()
    picture = page.locator("dialog[open]")
    expect(picture.get_by_label("Bild aus der Bildbibliothek")).not_to_be_editable()
    expect(picture).to_contain_text("Eine Adresse von einer anderen Website")
    picture.get_by_role("button", name="Einfügen", exact=True).click()
    expect(picture).to_contain_text("Bitte zuerst über „Durchsuchen …“ ein Bild wählen")
    page.screenshot(path=SHOTS / "paste-picture-dialog.png")
    picture.get_by_role("button", name="Abbrechen").click()

    page.screenshot(path=SHOTS / "paste-editor-after-paste.png", full_page=True)
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url("**/admin/articles/article/*/change/")

    article = Article.objects.get(headline="Tempo bei der Digitalisierung")
    assert "Tempo.<sup>1</sup>" in article.body
    assert "CO<sub>2</sub>" in article.body
    assert "<br>" not in article.body
    assert "tracker" not in article.body
    assert 'href="https://www.it-planungsrat.de/bericht-2026"' in article.body
    assert (
        f'{ours.get_absolute_url()}" title="Bund: Registermodernisierung kommt voran" '
        'rel="noopener noreferrer">unsere Meldung</a>'
    ) in article.body

    article.publish()
    article.save()
    page.context.clear_cookies()
    page.goto(article.get_absolute_url())
    body = page.locator(".article__body")
    expect(body.locator("sup")).to_have_text("1")
    expect(body.get_by_role("link", name="Bericht des IT-Planungsrats")).to_have_attribute(
        "href", "https://www.it-planungsrat.de/bericht-2026"
    )
