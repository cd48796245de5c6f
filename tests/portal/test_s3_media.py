"""Pictures on S3-compatible storage, against moto's local S3 server (a stand-in from PyPI)."""

import io

import boto3
import pytest
from django.core.management import call_command
from django.test import override_settings
from moto.server import ThreadedMotoServer
from pypdf import PdfReader

from articles.models import Article, Image
from portal.lib.images import make_renditions
from tests.factories import make_article, make_image
from tests.portal.test_page_cache import free_port

pytestmark = pytest.mark.django_db

BUCKET = "portal-bilder"


@pytest.fixture
def s3():
    """A local S3 with one bucket; the default storage points at it."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    client.create_bucket(Bucket=BUCKET)
    storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "endpoint_url": endpoint,
            "region_name": "us-east-1",
            "access_key": "test",
            "secret_key": "test",
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
    from django.conf import settings

    with override_settings(STORAGES={**settings.STORAGES, "default": storage}):
        yield client, endpoint
    server.stop()


def test_an_uploaded_picture_and_its_renditions_land_in_the_bucket_and_pages_link_there(
    client, s3
):
    bucket, endpoint = s3
    image = make_image(caption="Aus dem Eimer")
    make_renditions(image)
    image.save()
    article = make_article(headline="Bild aus S3", lead_image=image)

    names = {item["Key"] for item in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]}
    html = client.get(article.get_absolute_url()).content.decode()

    assert image.file.name in names
    assert len(names) > 1  # the renditions too
    assert f'src="{endpoint}/{BUCKET}/' in html


def test_the_pdf_of_an_article_takes_its_picture_from_the_bucket(client, s3):
    image = make_image(caption="Aus dem Eimer")
    make_renditions(image)
    image.save()
    article = make_article(headline="PDF mit Bild aus S3", lead_image=image)

    response = client.get(article.get_pdf_url())

    assert response.status_code == 200
    first_page = PdfReader(io.BytesIO(response.content)).pages[0]
    assert len(first_page.images) == 1


def test_rename_pictures_moves_an_embargoed_picture_within_the_bucket(
    s3, django_capture_on_commit_callbacks
):
    bucket, _endpoint = s3
    image = make_image()
    legacy = "images/2026/12/embargo-minister-ruecktritt.jpg"
    with image.file.open("rb") as handle:
        image.file.storage.save(legacy, handle)
    Image.objects.filter(pk=image.pk).update(file=legacy)
    make_article(lead_image=image, status=Article.Status.DRAFT)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("rename_pictures", stdout=io.StringIO())

    image.refresh_from_db()
    names = {item["Key"] for item in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert legacy not in names
    assert image.file.name in names
    assert all(name in names for _, name in image.renditions["webp"])
