"""Issue 24, point 8 in the browser: word count, a table, an info box and a video from
the editor's toolbar; SEO counters and the search-result preview; the reader's page
loads nothing from the video site before "Video laden"."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.conftest import make_staff
from tests.e2e.editor import insert_info_box, insert_table
from tests.e2e.test_journeys import log_in
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(os.environ.get("PORTAL_SHOTS", Path(__file__).parent / "screenshots"))
VIDEO_HOSTS = re.compile(r"youtube|ytimg|googlevideo|vimeo", re.IGNORECASE)


def test_point_8_an_editor_writes_with_table_info_box_video_and_sees_the_previews(
    page, django_user_model
):
    make_section("Politik", slug="politik")
    make_staff(django_user_model, "redakteurin", "Redaktion")

    log_in(page, "redakteurin")
    page.goto("/admin/articles/article/add/")
    page.locator(".field-section .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("Poli")
    page.locator(".select2-results__option", has_text="Politik").click()
    page.get_by_label("Überschrift").fill("Onlinedienste im Ländervergleich")
    page.get_by_label("Dachzeile").fill("OZG")
    page.get_by_label("Vorspann").fill(
        "Wie weit die Länder mit ihren Onlinediensten sind: ein Vergleich in Zahlen, "
        "mit den Diensten, die Bürgerinnen und Bürger am häufigsten nutzen, und dem, "
        "was bis Ende des Jahres noch kommen soll."
    )

    editor = page.locator(".ProseMirror >> visible=true").first
    editor.click()
    page.keyboard.type("Die Länder kommen unterschiedlich schnell voran.")
    expect(page.locator(".portal-word-count")).to_have_text("6 Wörter · Lesezeit etwa 1 Minute")

    # An info box: its title first, then its text.
    insert_info_box(page, " zum OZG", "Das Onlinezugangsgesetz verpflichtet Bund und Länder.")

    # A table with a header row, from the toolbar's German dialog.
    editor.locator("p").first.click()
    page.keyboard.press("End")
    insert_table(page, ["Land", "Dienste"], ["Sachsen", "412"], ["Bayern", "655"])
    expect(page.get_by_role("button", name="Zeile darunter einfügen")).to_be_visible()

    # A video: the address as copied from YouTube, and its title.
    editor.locator("p").first.click()
    page.keyboard.press("End")
    page.get_by_role("button", name="Video einbinden (YouTube, Vimeo)").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("Adresse des Videos").fill("https://evil.example/watch?v=dQw4w9WgXcQ")
    dialog.get_by_role("button", name="Video einbinden").click()
    expect(dialog.get_by_role("alert")).to_contain_text("kein Video bei YouTube oder Vimeo")
    dialog.get_by_label("Adresse des Videos").fill("https://youtu.be/dQw4w9WgXcQ?si=abc")
    dialog.get_by_label("Titel des Videos").fill("Rede der Ministerin")
    dialog.get_by_role("button", name="Video einbinden").click()
    expect(editor.locator(".portal-video-node")).to_contain_text(
        "Video (YouTube): Rede der Ministerin"
    )
    expect(page.locator(".portal-word-count")).to_contain_text("Wörter · Lesezeit etwa 1 Minute")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".field-body").screenshot(path=SHOTS / "writing-editor.png")

    # SEO: the counter, and the search result falling back to the headline.
    preview = page.locator(".writing-preview")
    expect(preview.locator(".serp__title")).to_have_text(
        re.compile(r"^OZG: Onlinedienste im Ländervergleich – ")
    )
    expect(preview.locator(".serp__description")).to_have_text(re.compile(r"^Wie weit .* …$"))
    page.get_by_label("SEO-Titel").fill("Onlinedienste: So weit sind die Länder")
    expect(page.locator("#id_seo_title_count")).to_have_text("38 von 60 Zeichen")
    page.get_by_label("SEO-Beschreibung").fill("Sachsen 412, Bayern 655: der Vergleich.")
    expect(page.locator("#id_seo_description_count")).to_have_text("39 von 160 Zeichen")
    expect(preview.locator(".serp__title")).to_have_text("Onlinedienste: So weit sind die Länder")
    expect(preview.locator(".serp__description")).to_have_text(
        "Sachsen 412, Bayern 655: der Vergleich."
    )
    expect(preview.locator(".social-card__title")).to_have_text(
        "Onlinedienste: So weit sind die Länder"
    )
    page.locator(".field-search_preview").scroll_into_view_if_needed()
    page.locator("fieldset", has=preview).screenshot(path=SHOTS / "writing-search-card.png")

    page.locator("button[name=_workflow][value=save]").click()
    page.wait_for_url("**/admin/articles/article/*/change/")

    article = Article.objects.get(headline="Onlinedienste im Ländervergleich")
    assert '<thead><tr><th scope="col"><p>Land</p></th>' in article.body
    assert "<td><p>655</p></td></tr></tbody></table>" in article.body
    assert '<aside class="infobox"><h2>Info zum OZG</h2><p>Das Onlinezugangsgesetz' in article.body
    assert (
        '<div data-video="youtube:dQw4w9WgXcQ" data-title="Rede der Ministerin"></div>'
        in article.body
    )
    assert article.seo_title == "Onlinedienste: So weit sind die Länder"


def test_point_8_the_video_site_gets_no_request_before_the_reader_clicks(page):
    article = make_article(
        section=make_section("Politik", slug="politik"),
        headline="Rede zur Verwaltungsdigitalisierung",
        body='<p>Die Rede im Wortlaut:</p><div data-video="youtube:dQw4w9WgXcQ" '
        'data-title="Rede der Ministerin"></div><p>Ende.</p>',
    )
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    refused = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "frame" in message.text else None,
    )

    page.goto(article.get_absolute_url())
    page.wait_for_load_state("networkidle")

    placeholder = page.locator(".video-consent")
    expect(placeholder).to_contain_text("Dieses Video wird von YouTube bereitgestellt.")
    expect(
        placeholder.get_by_role("link", name="Datenschutzerklärung von YouTube")
    ).to_be_visible()
    assert [url for url in requests if VIDEO_HOSTS.search(url)] == []
    assert page.locator("iframe").count() == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        placeholder.scroll_into_view_if_needed()
        page.screenshot(path=SHOTS / f"writing-video-placeholder-{width}.png")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Video laden").click()

    frame = page.locator(".video-consent iframe")
    expect(frame).to_have_attribute("src", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")
    expect(frame).to_have_attribute("title", "Rede der Ministerin")
    page.wait_for_timeout(500)
    asked = [url for url in requests if VIDEO_HOSTS.search(url)]
    assert asked and all(url.startswith("https://www.youtube-nocookie.com/") for url in asked)
    assert not [text for text in refused if "Content Security Policy" in text]
