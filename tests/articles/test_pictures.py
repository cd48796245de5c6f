"""Issue 24, point 5 on the server: body pictures beside the text with renditions that fit,
the focal point in the crops, upload checks whose limits the page names, thumbnails in
the lead picture chooser and the lists, with queries that do not grow with the pictures."""

import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage

from articles.models import Article, Image
from portal.lib import images
from portal.lib.images import SIZES, crop_box, make_renditions
from tests.factories import make_article, make_image, make_section, picture_bytes

pytestmark = pytest.mark.django_db

PICKER = "/admin/articles/image/auswahl/?CKEditorFuncNum=1"
LEAD_FIELD = "app_label=articles&model_name=article&field_name=lead_image"


def banded_picture(size=(1200, 600)):
    """Green, blue and red bands from left to right (a quarter, a half, a quarter)."""
    picture = PILImage.new("RGB", size, (0, 0, 255))
    picture.paste((0, 160, 0), (0, 0, size[0] // 4, size[1]))
    picture.paste((255, 0, 0), (size[0] * 3 // 4, 0, size[0], size[1]))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def stored_picture(data=None, **fields):
    image = Image(alt_text=fields.pop("alt_text", "Drei Farbstreifen"), **fields)
    image.file = ContentFile(data or banded_picture(), name="streifen.png")
    image.save()
    make_renditions(image)
    return image


def body_with(image, figure_attributes=""):
    return (
        f"<p>Vorher.</p><figure{figure_attributes}><img src='/x.jpg' data-file='{image.pk}' "
        f"alt='Ein Bild'><figcaption>Bildunterschrift</figcaption></figure><p>Nachher.</p>"
    )


def figure_of(html):
    return re.search(r"<figure[^>]*>.*?</figure>", html, re.DOTALL).group(0)


@pytest.mark.parametrize(
    ("given", "stored", "sizes"),
    [
        (' data-align="left"', '<figure data-align="left" data-size="medium">', "body-medium"),
        (
            ' data-align="right" data-size="small"',
            '<figure data-align="right" data-size="small">',
            "body-small",
        ),
        ("", "<figure>", "body"),
    ],
)
def test_point_5_alignment_and_size_are_kept_and_shown_with_a_rendition_that_fits(
    client, given, stored, sizes
):
    image = stored_picture(banded_picture((2000, 1000)))
    article = make_article(body=body_with(image, given))

    assert stored in article.body
    page = client.get(article.get_absolute_url()).content.decode()
    figure = figure_of(page[page.index('class="article__body"') :])
    assert figure.startswith(stored)
    # Beside the text the browser is told the picture is narrow, and takes a small rendition.
    assert figure.count(f'sizes="{SIZES[sizes]}"') == 2  # WebP and JPEG/PNG
    assert "/480.webp 480w" in figure and "/1600.webp 1600w" in figure
    assert figure.count("<picture>") == 1


@pytest.mark.parametrize(
    "given",
    [
        ' data-align="center"',
        ' data-align="LEFT"',
        ' data-align="left right"',
        ' data-size="huge"',
        ' class="alignleft" style="float:left;width:30%"',
        ' align="left"',
        ' data-width="50%"',
    ],
)
def test_point_5_unknown_alignments_and_sizes_are_dropped(client, given):
    image = stored_picture()
    article = make_article(body=body_with(image, given))

    assert "<figure><picture>" in article.body
    assert f'sizes="{SIZES["body"]}"' in article.body


def test_point_5_a_size_without_alignment_means_the_full_width(client):
    image = stored_picture()
    article = make_article(body=body_with(image, ' data-size="small"'))

    assert "<figure><picture>" in article.body


XSS_ON_FIGURES = [
    '<figure data-align=\'left" onmouseover="alert(1)\'><img src="x" data-file="{pk}"></figure>',
    '<figure data-align="left" onclick="alert(1)"><img src="x" data-file="{pk}"></figure>',
    '<figure data-align="javascript:alert(1)"><img src="x" data-file="{pk}"></figure>',
    '<figure data-size="small&quot;><script>alert(1)</script>"><img data-file="{pk}"></figure>',
    '<figure data-align="left"><img src="x" data-file="{pk}" onerror="alert(1)"></figure>',
    '<figure data-align="left" style="background:url(javascript:alert(1))"><img data-file="{pk}">'
    "</figure>",
    '<figure data-align="left"><svg onload="alert(1)"></svg><img data-file="{pk}"></figure>',
    '<figure data-align="right"><figcaption><script>alert(1)</script>Text</figcaption></figure>',
]


@pytest.mark.parametrize("payload", XSS_ON_FIGURES)
def test_point_5_the_new_figure_attributes_carry_no_script(client, payload):
    image = stored_picture()
    article = make_article(body=payload.format(pk=image.pk))

    page = client.get(article.get_absolute_url()).content.decode()
    body = page[page.index('class="article__body"') : page.index("</article>")]
    for html in (article.body, body):
        assert not re.search(r"<script|<svg|\son\w+\s*=|javascript:|style=", html, re.I), html
    for value in re.findall(r'data-(?:align|size)="([^"]*)"', article.body):
        assert value in {"left", "right", "medium", "small"}


def test_point_5_print_page_and_pdf_keep_the_picture_beside_the_text(client):
    image = stored_picture()
    article = make_article(body=body_with(image, ' data-align="left" data-size="small"'))

    printed = client.get(article.get_print_url()).content.decode()
    assert '<figure data-align="left" data-size="small">' in printed
    assert client.get(article.get_pdf_url()).status_code == 200
    css = Path(settings.BASE_DIR, "static", "css")
    for sheet in ("print-page.css", "pdf.css", "print.css", "portal.css"):
        rules = (css / sheet).read_text()
        assert 'figure[data-align="left"] { float: left;' in rules, sheet


def left_and_right_colours(name, storage):
    with storage.open(name) as handle, PILImage.open(handle) as crop:
        crop = crop.convert("RGB")
        middle = crop.height // 2
        return crop.getpixel((2, middle)), crop.getpixel((crop.width - 3, middle)), crop.size


def close(colour, expected):
    return all(abs(a - b) < 40 for a, b in zip(colour, expected, strict=True))


def test_point_5_the_focal_point_decides_what_the_crop_keeps():
    assert crop_box((1200, 600), (90, 50)) == (300, 0, 1200, 600)
    assert crop_box((1200, 600), (10, 50)) == (0, 0, 900, 600)
    assert crop_box((600, 1200), (50, 0)) == (0, 0, 600, 400)
    assert crop_box((600, 1200), (50, 100)) == (0, 800, 600, 1200)

    right = stored_picture(focal_x=90)
    left = stored_picture(focal_x=10)

    storage = right.file.storage
    l_colour, r_colour, size = left_and_right_colours(right.renditions["crop"][-1][1], storage)
    assert close(l_colour, (0, 0, 255)) and close(r_colour, (255, 0, 0))  # blue to red
    assert size == (640, 427)
    l_colour, r_colour, _size = left_and_right_colours(left.renditions["crop"][-1][1], storage)
    assert close(l_colour, (0, 160, 0)) and close(r_colour, (0, 0, 255))  # green to blue
    # Lists and the back office show the crop.
    assert right.thumbnail_url.endswith("/crop-320.jpg")


def test_point_5_a_focal_point_set_on_the_pictures_page_crops_anew(chief_client):
    image = stored_picture(focal_x=90)
    before = image.renditions["crop"][-1][1]
    page = chief_client.get(f"/admin/articles/image/{image.pk}/change/").content.decode()
    assert "data-focal-point" in page and 'data-focal="x"' in page

    response = chief_client.post(
        f"/admin/articles/image/{image.pk}/change/",
        {"alt_text": image.alt_text, "caption": "", "credit": "", "focal_x": 10, "focal_y": 50},
    )

    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.focal_x, image.focal_y) == (10, 50)
    after = image.renditions["crop"][-1][1]
    assert after != before
    l_colour, _r, _size = left_and_right_colours(after, image.file.storage)
    assert close(l_colour, (0, 160, 0))


def test_point_5_teaser_lists_show_the_crop_around_the_focal_point(client):
    section = make_section("Politik", slug="politik")
    image = stored_picture(focal_x=90)
    make_article(section=section, lead_image=image, headline="Mit Bild")

    page = client.get(section.get_absolute_url()).content.decode()
    teaser = page[page.index('class="teaser__figure"') :]
    teaser = teaser[: teaser.index("</figure>")]
    assert "/crop-320." in teaser and "/crop-640." in teaser
    assert 'width="640" height="427"' in teaser


def test_point_5_the_picker_names_the_servers_limits_for_the_browser(editor_client, monkeypatch):
    page = editor_client.get(PICKER).content.decode()
    assert f'data-max-bytes="{settings.IMAGE_MAX_BYTES}"' in page
    assert 'data-types="image/jpeg,image/png,image/webp"' in page
    assert "höchstens 10,0\xa0MB je Datei" in page

    monkeypatch.setattr(images, "MAX_BYTES", 5 * 1024 * 1024)
    page = editor_client.get(PICKER).content.decode()
    assert 'data-max-bytes="5242880"' in page and "höchstens 5,0\xa0MB je Datei" in page
    form = editor_client.get("/admin/articles/image/add/").content.decode()
    assert 'data-max-bytes="5242880"' in form and "höchstens 5,0\xa0MB und 40 Megapixel" in form


def upload(name="foto.jpg", data=None):
    return SimpleUploadedFile(name, data or picture_bytes("JPEG", size=(900, 600)))


def test_point_5_an_upload_from_the_picker_answers_for_its_own_line(editor_client):
    response = editor_client.post(
        PICKER,
        {"file": upload(), "alt_text": "Ein Schalter", "caption": "Das Bürgerbüro."},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 200
    answer = response.json()
    image = Image.objects.get()
    assert answer["ok"] is True
    assert answer["image"]["id"] == image.pk
    assert answer["image"]["alt"] == "Ein Schalter"
    assert "/renditions/" in answer["image"]["thumbnail"]
    assert image.original_name == "foto.jpg"


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        (
            {"file": "big", "alt_text": "Ein Schalter"},
            "file",
            "Die Datei ist 16,0\xa0MB groß; erlaubt sind höchstens 10,0\xa0MB.",
        ),
        (
            {"file": "gif", "alt_text": "Ein Schalter"},
            "file",
            "Bilder im Format GIF sind nicht erlaubt; bitte JPEG, PNG oder WebP.",
        ),
        ({"file": "jpeg", "alt_text": ""}, "alt_text", "Dieses Feld ist zwingend erforderlich."),
    ],
)
def test_point_5_the_server_refuses_with_its_german_reason(editor_client, fields, field, reason):
    files = {
        "big": lambda: upload("kamera.jpg", picture_bytes("JPEG") + b"\0" * (16 * 1024 * 1024)),
        "gif": lambda: upload("animiert.gif", picture_bytes("GIF")),
        "jpeg": upload,
    }
    data = {**fields, "file": files[fields["file"]]()}

    response = editor_client.post(PICKER, data, HTTP_ACCEPT="application/json")

    assert response.status_code == 400
    assert response.json() == {"ok": False, "errors": {field: [reason]}}
    assert not Image.objects.exists()


def test_point_5_a_16_mb_file_that_reaches_the_server_leaves_the_other_fields_filled(
    editor_client,
):
    big = upload("kamera.jpg", picture_bytes("JPEG") + b"\0" * (16 * 1024 * 1024))

    response = editor_client.post(
        PICKER,
        {"file": big, "alt_text": "Zwei Beraterinnen", "caption": "Bürgerbüro", "credit": "Stadt"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "erlaubt sind höchstens 10,0\xa0MB" in page
    for value in ("Zwei Beraterinnen", "Bürgerbüro", "Stadt"):
        assert f'value="{value}"' in page
    assert '<details class="picker-upload" open>' in page
    assert not Image.objects.exists()
    # Neither Django nor a setting of ours refuses the request itself before the form can
    # answer: only file data is this large, and files are not held against the memory limit.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < 16 * 1024 * 1024


def test_point_5_the_lead_picture_chooser_shows_thumbnails_not_originals(editor_client):
    image = stored_picture(caption="Das Rathaus in Leipzig.")
    article = make_article(lead_image=image, status=Article.Status.DRAFT)

    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    chooser = re.search(r'<select name="lead_image".*?</select>', page, re.DOTALL).group(0)
    assert "lead-picture-chooser" in chooser
    assert f'data-thumbnail="{image.thumbnail_url}"' in chooser
    assert "js/lead-picture.js" in page

    found = editor_client.get(
        "/admin/autocomplete/",
        {
            "term": "Rathaus",
            "app_label": "articles",
            "model_name": "article",
            "field_name": "lead_image",
        },
    ).json()
    assert found["results"] == [
        {"id": str(image.pk), "text": "Das Rathaus in Leipzig.", "thumbnail": image.thumbnail_url}
    ]
    assert "/renditions/" in image.thumbnail_url and "crop-320" in image.thumbnail_url


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_point_5_lists_with_thumbnails_take_the_same_queries_for_3_or_30_pictures(editor_client):
    for n in range(3):
        make_image(caption=f"Bild {n}")
    autocomplete = "/admin/autocomplete/?term=Bild&" + LEAD_FIELD
    urls = ["/admin/articles/image/", PICKER, autocomplete]
    few = [queries_for(editor_client, url) for url in urls]
    for n in range(27):
        make_image(caption=f"Bild {n + 3}")

    many = [queries_for(editor_client, url) for url in urls]

    assert many == few
    page = editor_client.get("/admin/articles/image/").content.decode()
    assert page.count('class="picture-thumb focal-x-50 focal-y-50"') == 30
    data = json.loads(editor_client.get(autocomplete).content)
    assert all("thumbnail" in result for result in data["results"])
