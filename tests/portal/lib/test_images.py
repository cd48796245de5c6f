import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from portal.lib.images import MAX_BYTES, make_renditions, normalise_upload, validate_image_upload
from tests.factories import jpeg_with_exif, make_image, picture_bytes


def upload(data, name="bild.jpg"):
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP"])
def test_browser_formats_are_accepted(kind):
    validate_image_upload(upload(picture_bytes(kind)))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (picture_bytes("GIF"), "Format GIF sind nicht erlaubt"),
        (picture_bytes("BMP"), "Format BMP sind nicht erlaubt"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "kein lesbares Bild"),
        (b"\xff\xd8\xff\xe0 kaputt", "kein lesbares Bild"),
        (picture_bytes("PNG", size=(8000, 6000)), "48,0 Megapixel"),
    ],
)
def test_other_files_are_refused_with_a_reason(data, message):
    with pytest.raises(ValidationError) as refused:
        validate_image_upload(upload(data))

    assert message in refused.value.messages[0]


def test_files_over_ten_megabytes_are_refused():
    big = upload(picture_bytes("PNG") + b"\0" * MAX_BYTES)

    with pytest.raises(ValidationError) as refused:
        validate_image_upload(big)

    assert "erlaubt sind höchstens 10,0\xa0MB" in refused.value.messages[0]


def test_a_decompression_bomb_is_refused_before_decoding():
    # A PNG header that claims 100,000 x 100,000 pixels.
    bomb = picture_bytes("PNG", size=(1, 1))
    bomb = bomb[:16] + (100_000).to_bytes(4, "big") + (100_000).to_bytes(4, "big") + bomb[24:]

    with pytest.raises(ValidationError):
        validate_image_upload(upload(bomb, "bombe.png"))


def test_exif_is_stripped_and_the_picture_turned_upright():
    # Orientation 6: the camera was held upright; the pixels lie on their side.
    cleaned = normalise_upload(upload(jpeg_with_exif(size=(640, 480), orientation=6)))

    with PILImage.open(cleaned) as picture:
        assert picture.format == "JPEG"
        assert picture.size == (480, 640)
        assert not picture.getexif()
        assert b"SERIAL-4711" not in cleaned.read()


def test_a_truncated_jpeg_is_refused():
    whole = picture_bytes("JPEG", size=(800, 600))

    with pytest.raises(ValidationError) as refused:
        normalise_upload(upload(whole[: len(whole) // 2]))

    assert "beschädigt oder unvollständig" in refused.value.messages[0]


@pytest.mark.django_db
def test_renditions_come_in_widths_up_to_the_original_and_as_webp():
    image = make_image()
    image.file = ContentFile(picture_bytes("JPEG", size=(1000, 500)), name="breit.jpg")
    image.save()

    renditions = make_renditions(image)

    assert [width for width, _ in renditions["fallback"]] == [480, 800, 1000]
    assert [width for width, _ in renditions["webp"]] == [480, 800, 1000]
    with image.file.storage.open(renditions["webp"][0][1]) as handle, PILImage.open(handle) as p:
        assert (p.format, p.size) == ("WEBP", (480, 240))
    assert image.webp_srcset.endswith("1000.webp 1000w")


@pytest.mark.django_db
def test_transparent_pictures_stay_png():
    image = make_image()
    buffer = io.BytesIO()
    PILImage.new("RGBA", (600, 400), (0, 0, 0, 0)).save(buffer, "PNG")
    image.file = ContentFile(buffer.getvalue(), name="logo.png")
    image.save()

    renditions = make_renditions(image)

    assert all(name.endswith(".png") for _, name in renditions["fallback"])


@pytest.mark.django_db
def test_making_renditions_again_replaces_the_old_files_under_names_never_used_before(
    django_capture_on_commit_callbacks,
):
    image = make_image()
    first = make_renditions(image)

    with django_capture_on_commit_callbacks(execute=True):
        second = make_renditions(image)

    storage = image.file.storage
    old, new = [name for _, name in first["webp"]], [name for _, name in second["webp"]]
    assert set(old).isdisjoint(new)  # a copy cached for a year is never the wrong picture
    assert not any(storage.exists(name) for name in old)
    assert all(storage.exists(name) for name in new)


def test_weasyprint_does_not_make_pillow_accept_truncated_uploads():
    from PIL import ImageFile

    import portal.lib.pdf  # noqa: F401 - importing WeasyPrint flips Pillow's flag

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
