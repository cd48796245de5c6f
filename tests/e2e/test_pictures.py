"""Issue 24, point 5 in the browser: the lead picture chosen by its thumbnail, two files
dropped on the picker (one refused at once for its size, the other uploaded with its
alt text and progress), a body picture set left and shown left on the public page."""

import base64
import io
import os
import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageDraw
from playwright.sync_api import expect

from articles.models import Article, Image
from portal.lib.images import make_renditions
from tests.conftest import make_staff
from tests.e2e.conftest import browser_settings
from tests.e2e.test_accessibility import violations
from tests.e2e.test_journeys import insert_picture, log_in
from tests.factories import make_section

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(os.environ.get("PORTAL_SHOTS", Path(__file__).parent / "screenshots"))


def photo_bytes(size=(2000, 1334)):
    """A JPEG with something in it, wide enough for every rendition."""
    picture = PILImage.new("RGB", size, (40, 90, 140))
    draw = ImageDraw.Draw(picture)
    draw.ellipse((size[0] * 0.6, size[1] * 0.2, size[0] * 0.8, size[1] * 0.5), fill=(240, 200, 60))
    draw.rectangle((0, size[1] * 0.7, size[0], size[1]), fill=(60, 120, 60))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def drop_files(page, selector, files):
    """What the browser does when files are dragged from the desktop onto ``selector``:
    ``files`` are (name, type, base64 content or a size in bytes of zeros)."""
    page.locator(selector).evaluate(
        """(zone, files) => {
            const data = new DataTransfer()
            for (const [name, type, content] of files) {
                const bytes = typeof content === "number"
                    ? new Uint8Array(content)
                    : Uint8Array.from(atob(content), (c) => c.charCodeAt(0))
                data.items.add(new File([bytes], name, { type }))
            }
            for (const kind of ["dragenter", "dragover", "drop"]) {
                const init = { dataTransfer: data, bubbles: true, cancelable: true }
                zone.dispatchEvent(new DragEvent(kind, init))
            }
        }""",
        files,
    )


def end_of_paragraph(page, number):
    """The cursor at the end of the body's paragraph ``number`` (from 0)."""
    page.evaluate(
        """(number) => {
            const editor = document.querySelector(".tiptap.ProseMirror").editor
            let pos = null, seen = 0
            editor.state.doc.forEach((node, offset) => {
                if (node.type.name === "paragraph" && seen++ === number) {
                    pos = offset + node.nodeSize - 1
                }
            })
            editor.chain().focus().setTextSelection(pos).run()
        }""",
        number,
    )


def test_point_5_pictures_thumbnails_drop_upload_with_alt_text_and_a_left_picture(
    page, chromium, live_server, django_user_model
):
    make_section("Politik", slug="politik")
    archive = Image(caption="Das Rathaus in Leipzig.", alt_text="Rathaus mit Turm vor Himmel")
    archive.file = ContentFile(photo_bytes(), name="rathaus.jpg")
    archive.save()
    make_renditions(archive)
    make_staff(django_user_model, "chefin", "Chefredaktion")

    log_in(page, "chefin")
    page.goto("/admin/articles/article/add/")
    page.locator(".field-section .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("Poli")
    page.locator(".select2-results__option", has_text="Politik").click()
    page.get_by_label("Überschrift").fill("Neues Bürgerportal in Leipzig")
    page.get_by_label("Vorspann").fill("Die Stadt startet ihr Portal.")

    # The lead picture: chosen from results with thumbnails, the choice shown as one.
    page.locator(".field-lead_image .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("Rathaus")
    option = page.locator(".select2-results__option", has_text="Das Rathaus in Leipzig.")
    thumbnail = option.locator("img")
    expect(thumbnail).to_be_visible()
    assert "/renditions/" in thumbnail.get_attribute("src")  # a small rendition, not the original
    page.locator(".field-lead_image").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "pictures-lead-chooser.png")
    option.click()
    preview = page.locator(".field-lead_image .lead-picture-preview")
    expect(preview).to_be_visible()
    assert "/renditions/" in preview.get_attribute("src")

    editor = page.locator(".ProseMirror >> visible=true").first
    editor.click()
    page.keyboard.type("Das Portal bündelt die Dienste der Stadt. " * 3)
    page.keyboard.press("Enter")
    page.keyboard.type("Termine gibt es online, Anträge auch. " * 14)
    page.keyboard.press("Enter")
    page.keyboard.type("Das Rathaus bleibt offen für alle. " * 4)
    end_of_paragraph(page, 0)

    # Two files dropped on the picker: one too big, refused before any upload.
    page.get_by_role("button", name="Bild einfügen").click()
    dialog = page.locator("dialog[open]")
    with page.expect_popup() as popup:
        dialog.get_by_role("button", name="Durchsuchen …").click()
    picker = popup.value
    posts = []
    picker.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    picker.get_by_text("Neue Bilder hochladen").click()
    photo = base64.b64encode(photo_bytes()).decode()
    drop_files(
        picker,
        ".upload-drop",
        [
            ("buergerbuero.jpg", "image/jpeg", photo),
            ("kamera-original.jpg", "image/jpeg", 16 * 1024 * 1024),
        ],
    )
    rows = picker.locator(".upload-item")
    expect(rows).to_have_count(2)
    refused = rows.filter(has_text="kamera-original.jpg")
    expect(refused).to_contain_text(
        "Nicht hochgeladen: Die Datei ist 16,0\xa0MB groß; erlaubt sind höchstens 10,0\xa0MB."
    )
    expect(refused.get_by_label("Alternativtext")).to_have_count(0)

    # The alt text comes first: without it, nothing is sent.
    picker.get_by_role("button", name="Bild hochladen").click()
    good = rows.filter(has_text="buergerbuero.jpg")
    expect(good).to_contain_text("Bitte zuerst den Alternativtext eingeben")
    assert posts == []
    good.get_by_label("Alternativtext").fill("Schalter im neuen Bürgerbüro, zwei Beraterinnen")
    good.get_by_label("Bildunterschrift").fill("Das neue Bürgerbüro.")
    # Slowed down, so that the progress can be seen (and photographed) on the way.
    cdp = picker.context.new_cdp_session(picker)
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 20, "downloadThroughput": -1, "uploadThroughput": 200_000},
    )
    picker.evaluate(
        """() => {
            window.seen = []
            const status = document.querySelector(".upload-item .upload-item__status")
            new MutationObserver(() => window.seen.push(status.textContent))
                .observe(status, { childList: true, characterData: true, subtree: true })
        }"""
    )
    picker.get_by_role("button", name="Bild hochladen").click()
    expect(good.locator("progress")).to_be_visible()
    picker.wait_for_function("() => document.querySelector('.upload-item progress').value > 0")
    picker.screenshot(path=SHOTS / "pictures-upload-progress.png", full_page=True)
    expect(good).to_contain_text("Hochgeladen.", timeout=30_000)
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    seen = picker.evaluate("() => window.seen")
    assert any(re.match(r"Wird hochgeladen … \d+ %", text) for text in seen), seen
    expect(picker.locator(".upload-summary")).to_have_text("1 hochgeladen, 1 abgelehnt.")
    picker.screenshot(path=SHOTS / "pictures-upload-done.png", full_page=True)
    assert violations(picker) == []
    assert len(posts) == 1  # the big file never left the browser
    uploaded = Image.objects.get(original_name="buergerbuero.jpg")
    assert uploaded.alt_text == "Schalter im neuen Bürgerbüro, zwei Beraterinnen"

    choose = good.get_by_role("button", name=re.compile("^Einfügen"))
    with picker.expect_event("close"):
        choose.evaluate("button => setTimeout(() => button.click())")
    expect(dialog.get_by_label("Bildunterschrift")).to_have_value("Das neue Bürgerbüro.")
    dialog.get_by_role("button", name="Einfügen", exact=True).click()

    # Set left of the text from the bar under the selected picture.
    page.locator(".ProseMirror figure img").first.click()
    layout = page.get_by_role("group", name="Bildausrichtung")
    layout.get_by_role("button", name="Links").click()
    expect(page.locator(".ProseMirror figure").first).to_have_attribute("data-align", "left")
    expect(layout.get_by_role("button", name="Links")).to_have_attribute("aria-pressed", "true")
    page.locator(".field-body").screenshot(path=SHOTS / "pictures-editor-left.png")

    # The second picture, from the archive, over the full width.
    end_of_paragraph(page, 2)
    insert_picture(page, "Rathaus")

    page.locator("button[name=_workflow][value=publish]").click()
    page.wait_for_url("**/admin/articles/article/*/change/")
    article = Article.objects.get(headline="Neues Bürgerportal in Leipzig")
    assert article.lead_image == archive
    assert article.body.count("<figure") == 2
    assert '<figure data-align="left" data-size="medium">' in article.body

    # The focal point: a click into the picture on its page; lists then show the crop around it.
    page.goto("/admin/articles/image/")
    expect(page.locator("#result_list img.picture-thumb")).to_have_count(2)
    page.screenshot(path=SHOTS / "pictures-list.png")
    page.goto(f"/admin/articles/image/{uploaded.pk}/change/")
    photo_on_page = page.locator("[data-focal-point] img")
    box = photo_on_page.bounding_box()
    photo_on_page.click(position={"x": box["width"] * 0.7, "y": box["height"] * 0.35})
    expect(page.get_by_label("Bildmittelpunkt von links (%)")).to_have_value("70")
    expect(page.get_by_label("Bildmittelpunkt von oben (%)")).to_have_value("35")
    expect(page.locator(".focal-point__mark")).to_be_visible()
    page.locator("[data-focal-point]").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "pictures-focal-point.png", full_page=True)
    assert violations(page) == []
    crop_before = uploaded.renditions["crop"]
    page.get_by_role("button", name="Sichern", exact=True).click()
    page.wait_for_url("**/admin/articles/image/")
    uploaded.refresh_from_db()
    assert (uploaded.focal_x, uploaded.focal_y) == (70, 35)
    assert uploaded.renditions["crop"] != crop_before

    # A reader's browser, whose cache holds none of the pictures the editor saw.
    page = chromium.new_context(**browser_settings(live_server)).new_page()
    page.goto(article.get_absolute_url())
    body = page.locator(".article__body")
    left = body.locator("figure[data-align=left]")
    expect(left).to_have_count(1)
    assert left.evaluate("f => getComputedStyle(f).float") == "left"
    column = body.evaluate("b => b.getBoundingClientRect().width")
    width = left.evaluate("f => f.getBoundingClientRect().width")
    assert 0.4 * column < width < 0.6 * column
    # The browser takes a rendition that fits half the column, not the widest.
    left_img = left.locator("img")
    left_img.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.currentSrc", arg=left_img.element_handle())
    assert re.search(r"/480\.(jpg|webp)$", left_img.evaluate("i => i.currentSrc"))
    full = body.locator("figure:not([data-align])")
    assert full.locator("img").get_attribute("alt") == archive.alt_text
    left.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "pictures-public-left.png")
    page.context.close()
