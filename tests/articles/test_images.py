import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.images import MAX_BYTES, validate_image_upload
from tests.factories import picture_bytes


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
