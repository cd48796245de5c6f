"""Pictures of articles not out yet cannot be found: random names, not file names or ids."""

import datetime
import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Image
from portal.lib.images import render_widths
from tests.factories import make_article, make_image, picture_bytes

pytestmark = pytest.mark.django_db

RANDOM = r"[A-Za-z0-9_-]{22}"


def rendition_names(image):
    return [name for kind in ("fallback", "webp") for _, name in image.renditions.get(kind, [])]


def media(name):
    return f"/media/{name}"


def body_with(image):
    return f'<figure><img data-file="{image.pk}" alt="Bild im Text"></figure>'


def scheduled(**fields):
    """Published for tomorrow: under embargo until then."""
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    return make_article(status=Article.Status.PUBLISHED, publish_at=tomorrow, **fields)


def test_an_embargoed_picture_is_not_at_an_address_guessable_from_its_file_name_or_id(
    client, editor_client
):
    upload = SimpleUploadedFile(
        "embargo-minister-ruecktritt.jpg", picture_bytes("JPEG", size=(1000, 600))
    )
    response = editor_client.post(
        "/admin/articles/image/add/", {"file": upload, "alt_text": "Der Minister"}
    )
    assert response.status_code == 302
    image = Image.objects.get()
    scheduled(headline="Minister tritt zurück", lead_image=image)
    month = timezone.localtime(image.created_at).strftime("%Y/%m")

    names = [image.file.name, *rendition_names(image)]
    assert re.fullmatch(rf"images/{month}/{RANDOM}\.jpg", image.file.name)
    assert all(re.fullmatch(rf"renditions/{RANDOM}/[0-9]+\.(jpg|webp)", n) for n in names[1:])
    assert not any("embargo" in name or f"/{image.pk}/" in name for name in names)
    # What the issue found, and the next id up, answer nothing.
    for guess in (
        f"images/{month}/embargo-minister-ruecktritt.jpg",
        f"renditions/{image.pk}/480.jpg",
        f"renditions/{image.pk + 1}/480.jpg",
    ):
        assert client.get(media(guess)).status_code == 404
    # Editors still find the picture by the name they uploaded.
    assert image.original_name == "embargo-minister-ruecktritt.jpg"
    found = editor_client.get("/admin/articles/image/", {"q": "ruecktritt"})
    assert f"/admin/articles/image/{image.pk}/change/" in found.content.decode()
    change = editor_client.get(f"/admin/articles/image/{image.pk}/change/").content.decode()
    assert "embargo-minister-ruecktritt.jpg" in change


def test_the_media_folders_list_no_names(client):
    make_image()

    for folder in ("", "images/", "renditions/"):
        assert client.get(media(folder)).status_code == 404


def test_a_published_picture_is_a_plain_file_at_the_address_its_page_shows(
    client, django_assert_max_num_queries
):
    image = make_image()
    image.renew_renditions()
    article = make_article(lead_image=image)
    page = client.get(article.get_absolute_url()).content.decode()
    src = re.search(r'<img src="(/media/renditions/[^"]+)"', page)[1]

    with django_assert_max_num_queries(0):  # no database: a web server or S3 can serve it
        picture = client.get(src)

    assert picture.status_code == 200
    assert picture["Content-Type"] == "image/jpeg"


def test_replacing_a_pictures_file_removes_the_old_files_and_the_bodies_show_the_new_ones(
    client, chief_client, django_capture_on_commit_callbacks
):
    image = make_image(caption="Das Rathaus")
    image.renew_renditions()
    article = make_article(body=body_with(image))
    old = [image.file.name, *rendition_names(image)]

    with django_capture_on_commit_callbacks(execute=True):
        response = chief_client.post(
            f"/admin/articles/image/{image.pk}/change/",
            {
                "file": SimpleUploadedFile("neu.jpg", picture_bytes("JPEG", size=(900, 500))),
                "alt_text": image.alt_text,
                "caption": image.caption,
                "credit": "",
            },
        )

    assert response.status_code == 302
    image.refresh_from_db()
    article.refresh_from_db()
    assert not any(default_storage.exists(name) for name in old)
    shown = re.findall(r"/media/(renditions/[^\s\"]+)", article.body)
    assert shown and set(shown) <= set(rendition_names(image))
    assert all(client.get(media(name)).status_code == 200 for name in shown)
    assert image.original_name == "neu.jpg"


def legacy_picture(name):
    """A picture as stored before names were random: the upload's name, renditions by id."""
    image = make_image()
    stored = default_storage.save(name, ContentFile(picture_bytes("JPEG", size=(900, 500))))
    Image.objects.filter(pk=image.pk).update(file=stored)
    image.refresh_from_db()
    renditions = render_widths(image.file, f"renditions/{image.pk}", {}, default_storage)
    Image.objects.filter(pk=image.pk).update(renditions=renditions)
    image.refresh_from_db()
    return image


def rename_pictures(django_capture_on_commit_callbacks, *args):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rename_pictures", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    "used_in",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.UNPUBLISHED},
        {"status": Article.Status.PUBLISHED, "publish_at": timezone.now() + datetime.timedelta(1)},
    ],
    ids=["draft", "taken back", "scheduled"],
)
def test_rename_pictures_gives_embargoed_old_pictures_random_names_and_the_bodies_follow(
    client, django_capture_on_commit_callbacks, used_in
):
    embargoed = legacy_picture("images/2026/12/embargo-minister-ruecktritt.jpg")
    article = make_article(lead_image=embargoed, body=body_with(embargoed), **used_in)
    old = [embargoed.file.name, *rendition_names(embargoed)]

    said = rename_pictures(django_capture_on_commit_callbacks)

    embargoed.refresh_from_db()
    article.refresh_from_db()
    assert "1 Bilder umbenannt" in said
    assert re.fullmatch(rf"images/[0-9]{{4}}/[0-9]{{2}}/{RANDOM}\.jpg", embargoed.file.name)
    assert all(client.get(media(name)).status_code == 404 for name in old)
    new = [embargoed.file.name, *rendition_names(embargoed)]
    assert all(client.get(media(name)).status_code == 200 for name in new)
    assert f"renditions/{embargoed.pk}/" not in article.body
    assert set(re.findall(r"/media/(renditions/[^\s\"]+)", article.body)) <= set(new)
    assert embargoed.original_name == "embargo-minister-ruecktritt.jpg"


def test_rename_pictures_leaves_pictures_readers_see_and_those_already_renamed(
    client, django_capture_on_commit_callbacks
):
    public = legacy_picture("images/2019/07/rathaus-dresden.jpg")
    make_article(lead_image=public)
    fresh = make_image()
    fresh.renew_renditions()
    before = {image.pk: [image.file.name, *rendition_names(image)] for image in (public, fresh)}

    said = rename_pictures(django_capture_on_commit_callbacks)

    assert "0 Bilder umbenannt" in said
    for image in (public, fresh):
        image.refresh_from_db()
        assert [image.file.name, *rendition_names(image)] == before[image.pk]
    # Links to the public one in feed readers, search engines and mails keep working.
    assert client.get(media(public.file.name)).status_code == 200


def test_rename_pictures_dry_run_counts_and_changes_nothing(django_capture_on_commit_callbacks):
    embargoed = legacy_picture("images/2026/12/embargo.jpg")

    said = rename_pictures(django_capture_on_commit_callbacks, "--dry-run")

    embargoed.refresh_from_db()
    assert "1 Bilder würden umbenannt" in said
    assert embargoed.file.name == "images/2026/12/embargo.jpg"
    assert default_storage.exists("images/2026/12/embargo.jpg")


def test_making_renditions_again_keeps_the_bodies_that_show_the_picture_working(
    client, django_capture_on_commit_callbacks
):
    image = legacy_picture("images/2019/07/rathaus.jpg")
    article = make_article(body=body_with(image))
    version = article.version

    with django_capture_on_commit_callbacks(execute=True):
        call_command("make_renditions", "--all", stdout=io.StringIO())

    article.refresh_from_db()
    shown = re.findall(r"/media/(renditions/[^\s\"]+)", article.body)
    assert shown and all(client.get(media(name)).status_code == 200 for name in shown)
    assert article.version == version  # an editor's open form does not turn into a conflict
