"""Admin basics for sections and articles; the full workflow is a later issue."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from PIL import Image as PILImage

from articles.models import Article, ArticleLink, Image, Tag
from tests.factories import (
    article_form,
    jpeg_with_exif,
    make_article,
    make_section,
    picture_bytes,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/article/"


@pytest.fixture
def politik():
    return make_section("Politik", slug="politik")


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?status__exact=draft",
        "?section__id__exact=1",
        "?kind__exact=report",
        "?q=Sachsen",
        "?publish_at__year=2019",
        "?publish_at__year=2019&publish_at__month=7",
    ],
)
def test_the_changelist_filters_and_searches(editor_client, politik, query):
    make_article(section=politik, kicker="Sachsen", headline="Gefunden")

    response = editor_client.get(CHANGELIST + query)

    assert response.status_code == 200


def test_search_finds_by_kicker_and_headline(editor_client, politik):
    make_article(section=politik, kicker="Sachsen", headline="Digitalstrategie")
    make_article(section=politik, kicker="Bayern", headline="Anderes")

    html = editor_client.get(CHANGELIST + "?q=Sachsen").content.decode()

    assert "Digitalstrategie" in html
    assert "Anderes" not in html


@pytest.mark.parametrize("count", [3, 30])
def test_the_changelist_needs_a_constant_number_of_queries(
    editor_client, politik, django_assert_max_num_queries, count
):
    for _ in range(count):
        make_article(section=politik)

    with django_assert_max_num_queries(14):
        assert editor_client.get(CHANGELIST).status_code == 200


def test_an_editor_writes_an_article_with_tags_and_a_link(editor_client, politik):
    response = editor_client.post(
        "/admin/articles/article/add/",
        article_form(politik, body='<p onclick="x()">Text<script>alert(1)</script></p>'),
    )

    assert response.status_code == 302
    article = Article.objects.get()
    assert article.slug == "sachsen-digitalstrategie-ueberarbeitet"
    assert article.body == "<p>Text</p>"
    assert sorted(tag.name for tag in article.tags.all()) == ["OZG", "Politik"]
    assert article.links.get().url == "http://www.smwa.sachsen.de"
    assert article.status == Article.Status.DRAFT


def test_publishing_without_a_time_publishes_now(chief_client, politik):
    chief_client.post("/admin/articles/article/add/", article_form(politik, status="published"))

    article = Article.objects.get()
    assert article.publish_at is not None
    chief_client.logout()
    assert chief_client.get(article.get_absolute_url()).status_code == 200


def test_a_missing_headline_is_reported_at_the_field_in_german(editor_client, politik):
    response = editor_client.post(
        "/admin/articles/article/add/", article_form(politik, headline="")
    )

    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    assert response.context["adminform"].form.errors["headline"]
    assert not Article.objects.exists()


def test_an_image_upload_that_is_not_allowed_is_refused_at_the_field(editor_client):
    gif = SimpleUploadedFile("bild.gif", picture_bytes("GIF"), content_type="image/gif")

    response = editor_client.post(
        "/admin/articles/image/add/", {"file": gif, "alt_text": "Ein Bild", "caption": ""}
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["file"]
    assert any("nicht erlaubt" in error or "JPEG, PNG oder WebP" in error for error in errors)
    assert not Image.objects.exists()


def test_an_image_upload_records_its_size(editor_client):
    jpeg = SimpleUploadedFile("bild.jpg", picture_bytes("JPEG", size=(640, 480)))

    response = editor_client.post(
        "/admin/articles/image/add/",
        {"file": jpeg, "alt_text": "Rathaus", "caption": "Das Rathaus"},
    )

    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (640, 480)


def test_staff_without_permission_get_403(client, django_user_model):
    user = django_user_model.objects.create_user("praktikant", password="x", is_staff=True)
    client.force_login(user)

    assert client.get(CHANGELIST).status_code == 403


def test_readers_are_sent_to_the_login(client):
    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_link_typed_without_scheme_gets_https(editor_client, politik):
    editor_client.post(
        "/admin/articles/article/add/", article_form(politik, **{"links-0-url": "www.bsi.bund.de"})
    )

    assert Article.objects.get().links.get().url == "https://www.bsi.bund.de"


def test_an_overlong_stichwort_is_refused_at_the_field(editor_client, politik):
    response = editor_client.post(
        "/admin/articles/article/add/", article_form(politik, tags="OZG, " + "x" * 150)
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["tags"]
    assert "höchstens 100 Zeichen" in errors[0]
    assert not Article.objects.exists()


def test_a_link_that_is_not_http_is_refused_at_the_field(editor_client, politik):
    response = editor_client.post(
        "/admin/articles/article/add/",
        article_form(politik, **{"links-0-url": "ftp://files.example.org/strategie.pdf"}),
    )

    assert response.status_code == 200
    assert not Article.objects.exists()


def test_the_database_refuses_script_links_written_around_the_form(politik):
    article = make_article(section=politik)

    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleLink.objects.create(article=article, label="x", url="javascript:alert(1)")


def test_a_new_stichwort_gets_a_german_ascii_slug(editor_client):
    response = editor_client.post("/admin/articles/tag/add/", {"name": "Öffentliche Verwaltung"})

    assert response.status_code == 302
    assert Tag.objects.get().slug == "oeffentliche-verwaltung"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("shell.jpg", b"<?php system($_GET['c']); ?>", "kein Bild oder ist defekt"),
        ("shell.php", b"<?php system($_GET['c']); ?>", "kein Bild oder ist defekt"),
        ("riesig.png", "60mp", "60,0 Megapixel"),
        ("kaputt.jpg", "truncated", "beschädigt oder unvollständig"),
    ],
)
def test_bad_uploads_are_refused_with_a_reason_and_nothing_stored(
    editor_client, name, data, message
):
    if data == "60mp":
        buffer = io.BytesIO()
        PILImage.new("1", (8000, 7500)).save(buffer, "PNG")
        data = buffer.getvalue()
    elif data == "truncated":
        whole = picture_bytes("JPEG", size=(800, 600))
        data = whole[: len(whole) // 2]

    response = editor_client.post(
        "/admin/articles/image/add/",
        {"file": SimpleUploadedFile(name, data), "alt_text": "Bild", "caption": ""},
    )

    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["file"])
    assert message in errors
    assert not Image.objects.exists()


def test_an_upload_loses_its_exif_and_gets_renditions(editor_client):
    response = editor_client.post(
        "/admin/articles/image/add/",
        {
            "file": SimpleUploadedFile("kamera.jpg", jpeg_with_exif(size=(1300, 900))),
            "alt_text": "Rathaus",
        },
    )

    assert response.status_code == 302
    image = Image.objects.get()
    with image.file.open("rb") as handle:
        assert b"SERIAL-4711" not in handle.read()
    assert [w for w, _ in image.renditions["webp"]] == [480, 800, 1200, 1300]


@pytest.mark.parametrize(
    ("typed", "names"),
    [
        ("Sachsen, Politik, OZG", ["Sachsen", "Politik", "OZG"]),
        ("Öffentliche Verwaltung", ["Öffentliche Verwaltung"]),  # a space never splits
        ('Politik, "Bund, Länder", OZG', ["Politik", "Bund, Länder", "OZG"]),
        ("OZG, ozg,  , Politik,", ["OZG", "Politik"]),  # no doubles, no empties
        ("  Schul-IT  ,   E-Akte", ["Schul-IT", "E-Akte"]),
        ("", []),
    ],
)
def test_stichwoerter_are_read_as_editors_type_them(typed, names):
    from articles.forms import parse_tags_in_order, tags_edit_string

    assert parse_tags_in_order(typed) == names
    assert parse_tags_in_order(tags_edit_string(names)) == names
