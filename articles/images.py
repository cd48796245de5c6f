"""Checks for uploaded pictures: only what browsers show, in sizes we can handle."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image as PILImage

ALLOWED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000


def validate_image_upload(upload):
    """Refuse anything but JPEG, PNG and WebP within the byte and pixel limits.

    Pillow only reads the header here, so a decompression bomb is refused by
    its declared size before any pixel is decoded.
    """
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("Die Datei ist %(size)s groß; erlaubt sind höchstens %(max)s.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(MAX_BYTES)},
            code="too_large",
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        with PILImage.open(upload) as picture:
            kind, (width, height) = picture.format, picture.size
    except (PILImage.DecompressionBombError, OSError, ValueError, SyntaxError) as exc:
        raise ValidationError(
            _("Die Datei ist kein lesbares Bild (JPEG, PNG oder WebP)."), code="invalid"
        ) from exc
    finally:
        upload.seek(position)
    if kind not in ALLOWED_FORMATS:
        raise ValidationError(
            _("Bilder im Format %(format)s sind nicht erlaubt; bitte JPEG, PNG oder WebP.")
            % {"format": kind},
            code="format",
        )
    if width * height > MAX_PIXELS:
        raise ValidationError(
            _("Das Bild hat %(pixels)s Megapixel; erlaubt sind höchstens %(max)s.")
            % {
                "pixels": number_format(width * height / 1e6, 1),
                "max": MAX_PIXELS // 1_000_000,
            },
            code="too_many_pixels",
        )
