"""Issue 24, "Done means", as one journey at 1280 px, tried as a new user would.

An editor writes an article with pasted text, a link typed without https://, a
table, an info box and two pictures (one left-aligned), closes the tab by
mistake and gets the text back, submits it with a note; the Chefredaktion sees
it on the start page, sends it back with a note, then publishes it; later a
correction to the live article is drafted and goes live only when published.
axe stays clean on the form, the start page and the sent-back form.
"""

import re
import shutil
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from articles.autosave import Autosave
from articles.models import Article
from portal.lib.images import make_renditions
from subscriptions.models import OutgoingMail
from tests.conftest import make_staff
from tests.e2e.conftest import SCREENSHOTS, browser_settings
from tests.e2e.editor import insert_info_box, insert_table
from tests.e2e.test_accessibility import violations
from tests.e2e.test_journeys import insert_link, insert_picture, log_in
from tests.e2e.test_links_and_paste import PASTED, paste_html
from tests.e2e.test_pictures import end_of_paragraph
from tests.factories import make_image, make_section

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/work/helpers/shots")
HEADLINE = "Onlinedienste im Ländervergleich"
CORRECTED = "Onlinedienste im Ländervergleich: Sachsen vorn"
TITLE = f"OZG: {HEADLINE}"
LONG = "Termine gibt es online, Anträge auch, und das Bürgerbüro berät weiter. " * 8


def shot(page, name, full_page=False):
    """For people to look at (not compared): into the tests' folder, and the helpers' one."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"journey-{name}.png"
    page.screenshot(path=path, full_page=full_page)
    if SHOTS.is_dir():
        shutil.copy(path, SHOTS / path.name)


def wait_for(condition, message, seconds=15):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.2)


def autosaved_body():
    saved = Autosave.objects.filter(article__isnull=True).first()
    return dict(map(tuple, saved.data["fields"])).get("body", "") if saved else ""


def reader_page(chromium, live_server):
    """A reader's browser: no log-in, nothing in its cache."""
    page = chromium.new_context(**browser_settings(live_server)).new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def newsroom(django_user_model):
    make_section("Politik", slug="politik")
    editor = make_staff(django_user_model, "redakteurin", "Redaktion")
    editor.first_name, editor.last_name = "Rita", "Redlich"
    editor.save()
    chief = make_staff(django_user_model, "chefin", "Chefredaktion")
    chief.first_name, chief.last_name = "Clara", "Chef"
    chief.save()
    for caption, alt in [
        ("Das Bürgeramt in Fürth.", "Wartebereich eines Bürgeramts mit Terminanzeige"),
        ("Das Rathaus in Leipzig.", "Rathaus mit Turm vor blauem Himmel"),
    ]:
        make_renditions(make_image(caption=caption, alt_text=alt))


def test_done_means_an_editors_day_from_paste_to_a_published_correction(
    page, chromium, live_server, newsroom
):
    # --- The Redaktion writes a new article. ---
    log_in(page, "redakteurin")
    page.goto("/admin/articles/article/add/")
    page.get_by_label("Überschrift").fill(HEADLINE)
    page.locator(".field-section .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("Poli")
    page.locator(".select2-results__option", has_text="Politik").click()
    page.get_by_label("Dachzeile").fill("OZG")
    page.get_by_label("Vorspann").fill("Wie weit die Länder mit ihren Onlinediensten sind.")
    editor = page.locator(".ProseMirror >> visible=true").first
    editor.click()
    page.keyboard.type("Die Länder kommen unterschiedlich schnell voran.")
    page.keyboard.press("Enter")

    # Pasted from another site: the footnote stays superscript, the rest is said.
    paste_html(page, PASTED)
    notice = page.locator(".portal-paste-notice")
    expect(notice).to_contain_text("Zählpixel von px.tracker.example")
    expect(notice).to_contain_text("2 Zeilenumbrüche am Absatzende")
    expect(editor.locator("sup")).to_have_text("1")
    expect(editor.locator("img")).to_have_count(0)

    # A link typed as it stands in a letter, without https://.
    page.keyboard.press("End")
    insert_link(page, "Bericht des IT-Planungsrats", "www.it-planungsrat.de/bericht-2026")
    page.keyboard.type(LONG)
    page.keyboard.press("Enter")
    page.keyboard.type("Das Rathaus bleibt offen für alle.")

    # Paragraphs now: 0 first, 1 pasted, 2 link, 3 long, 4 last.
    # A table after the last paragraph.
    end_of_paragraph(page, 4)
    insert_table(page, ["Land", "Dienste"], ["Sachsen", "412"], ["Bayern", "655"])

    # An info box after the link.
    end_of_paragraph(page, 2)
    insert_info_box(page, " zum OZG", "Das Onlinezugangsgesetz verpflichtet Bund und Länder.")

    # Two pictures from the archive: one left of the long paragraph, one over the full width.
    end_of_paragraph(page, 2)
    insert_picture(page, "Bürgeramt")
    page.locator(".ProseMirror figure img").first.click()
    layout = page.get_by_role("group", name="Bildausrichtung")
    layout.get_by_role("button", name="Links").click()
    expect(page.locator(".ProseMirror figure").first).to_have_attribute("data-align", "left")
    end_of_paragraph(page, 4)
    insert_picture(page, "Rathaus")
    expect(editor.locator("figure")).to_have_count(2)
    page.locator(".field-body").scroll_into_view_if_needed()
    shot(page, "1-written", full_page=True)

    # The tab is closed by mistake once the autosave has the last of it.
    expect(
        page.get_by_role("status").filter(has_text="Zwischenstand gesichert um")
    ).to_be_visible()
    wait_for(
        lambda: "655" in autosaved_body() and autosaved_body().count("<figure") == 2,
        "the autosave never held the whole body (table and both pictures)",
    )
    page.close()
    page = page.context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/admin/articles/article/add/")
    offer = page.locator(".autosave-offer")
    expect(offer.get_by_role("heading")).to_contain_text(
        f"Ungespeicherten neuen Artikel „{HEADLINE}“ vom"
    )
    shot(page, "2-offer")
    offer.get_by_role("button", name="Wiederherstellen").click()
    editor = page.locator(".ProseMirror >> visible=true").first
    expect(page.get_by_label("Überschrift")).to_have_value(HEADLINE)
    expect(editor.locator("sup")).to_have_text("1")
    expect(editor.locator("table")).to_contain_text("655")
    expect(editor.locator("aside.infobox h2")).to_have_text("Info zum OZG")
    expect(editor.locator("figure")).to_have_count(2)
    expect(editor.locator("figure").first).to_have_attribute("data-align", "left")
    expect(editor.get_by_role("link", name="Bericht des IT-Planungsrats")).to_have_count(1)
    assert violations(page) == [], "axe on the article form"

    # Submitted with a note.
    page.get_by_label("Hinweis zum Einreichen oder Zurückgeben").fill("Bitte die Zahlen prüfen.")
    page.get_by_role("button", name="Zur Prüfung einreichen").click()
    page.wait_for_url("**/admin/articles/article/*/change/")
    expect(page.locator(".messagelist")).to_contain_text(f"„{TITLE}“ ist zur Prüfung eingereicht")
    article = Article.objects.get(headline=HEADLINE)
    form = f"/admin/articles/article/{article.pk}/change/"
    assert article.status == Article.Status.REVIEW
    assert "Tempo.<sup>1</sup>" in article.body
    assert "tracker" not in article.body and "<br>" not in article.body
    assert 'href="https://www.it-planungsrat.de/bericht-2026"' in article.body
    assert not Autosave.objects.exists(), "the save takes the autosave's place"

    # --- The Chefredaktion finds it on the start page, with who and the note. ---
    chief = chromium.new_context(**browser_settings(live_server)).new_page()
    chief.set_default_timeout(15_000)
    log_in(chief, "chefin")
    queue = chief.locator(".desk-queue").first
    expect(queue).to_contain_text(TITLE)
    expect(queue).to_contain_text("Rita Redlich")
    expect(queue).to_contain_text("Bitte die Zahlen prüfen.")
    assert violations(chief) == [], "axe on the start page"
    shot(chief, "3-start-page-queue")
    queue.get_by_role("link", name=TITLE).click()
    expect(chief.locator(".desk-note")).to_contain_text("Bitte die Zahlen prüfen.")
    chief.get_by_label("Hinweis zum Einreichen oder Zurückgeben").fill(
        "Quelle für die Zahlen aus Bayern fehlt."
    )
    chief.get_by_role("button", name="Zurück an die Redaktion").click()
    expect(chief.locator(".messagelist")).to_contain_text("ist zurück an die Redaktion")

    # --- The Redaktion reads the note, adds the source and submits again. ---
    page.goto(form)
    note = page.locator(".desk-note")
    expect(note.get_by_role("heading")).to_contain_text("Zurück an die Redaktion")
    expect(note).to_contain_text("von Clara Chef am")
    expect(note).to_contain_text("Quelle für die Zahlen aus Bayern fehlt.")
    assert violations(page) == [], "axe on the sent-back form"
    shot(page, "4-sent-back")
    page.get_by_label("Hinweis zum Einreichen oder Zurückgeben").fill("Quelle ergänzt.")
    page.get_by_role("button", name="Zur Prüfung einreichen").click()
    expect(page.locator(".messagelist")).to_contain_text("ist zur Prüfung eingereicht")

    # --- The Chefredaktion publishes it. ---
    chief.goto(form)
    chief.get_by_role("button", name=re.compile("^Veröffentlichen")).click()
    expect(chief.locator(".messagelist")).to_contain_text(f"„{TITLE}“ ist veröffentlicht")
    article.refresh_from_db()
    assert article.is_visible

    reader = reader_page(chromium, live_server)
    reader.goto(article.get_absolute_url())
    expect(reader.get_by_role("heading", name=HEADLINE)).to_have_count(1)
    body = reader.locator(".article__body")
    expect(body.locator("sup")).to_have_text("1")
    expect(body.get_by_role("link", name="Bericht des IT-Planungsrats")).to_have_attribute(
        "href", "https://www.it-planungsrat.de/bericht-2026"
    )
    expect(body.locator("table th").first).to_have_text("Land")
    expect(body.locator("table")).to_contain_text("655")
    expect(body.locator("aside.infobox h2")).to_have_text("Info zum OZG")
    left = body.locator("figure[data-align=left]")
    expect(left).to_have_count(1)
    assert left.evaluate("f => getComputedStyle(f).float") == "left"
    expect(body.locator("figure")).to_have_count(2)
    assert violations(reader) == [], "axe on the public page with table and info box"
    left.scroll_into_view_if_needed()
    shot(reader, "5-public")
    reader.goto("/feed/rss/")
    assert HEADLINE in reader.content()

    # --- Later a correction is drafted: readers keep the live version. ---
    page.goto(form)
    page.get_by_label("Überschrift").fill(CORRECTED)
    page.get_by_role("button", name=re.compile("^Speichern")).click()
    expect(page.locator(".messagelist")).to_contain_text("Entwurf der Änderung")
    expect(page.get_by_label("Überschrift")).to_have_value(CORRECTED)
    shot(page, "6-correction-drafted")
    reader.goto(article.get_absolute_url())
    expect(reader.get_by_role("heading", name=re.compile(f"{HEADLINE}$"))).to_have_count(1)
    assert "Sachsen vorn" not in reader.locator("main").inner_text(), (
        "the drafted correction is on the public page"
    )
    reader.goto("/feed/rss/")
    assert "Sachsen vorn" not in reader.content(), "the drafted correction is in the feed"

    chief.goto(form)
    expect(chief.get_by_label("Überschrift")).to_have_value(CORRECTED)
    chief.get_by_role("button", name="Änderungen veröffentlichen").click()
    expect(chief.locator(".messagelist")).to_contain_text("ist veröffentlicht")
    reader.goto(f"/artikel/{article.pk}/")
    expect(reader.get_by_role("heading", name=CORRECTED)).to_have_count(1)
    expect(reader.locator(".article__body table")).to_contain_text("655")
    shot(reader, "7-correction-live")
    reader.goto("/feed/rss/")
    assert CORRECTED in reader.content(), "the published correction is not in the feed"

    # Everyone who had to know was told, through the outbox.
    told = list(OutgoingMail.objects.order_by("pk").values_list("to", "subject"))
    assert told[:3] == [
        ("chefin@verwaltung-digital.example", f"Zur Prüfung: {TITLE}"),
        ("redakteurin@verwaltung-digital.example", f"Zurück an die Redaktion: {TITLE}"),
        ("chefin@verwaltung-digital.example", f"Zur Prüfung: {TITLE}"),
    ]
    reader.context.close()
    chief.context.close()
