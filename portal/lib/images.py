"""Checks for uploaded pictures: only what browsers show, in sizes we can handle."""

import io
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageOps
from PIL.Image import Resampling

LANCZOS = Resampling.LANCZOS

# Pillow's format name -> how we store it. Phones write JPEGs with extra
# frames (HDR, depth) that Pillow calls MPO; we keep their main picture as JPEG.
ALLOWED_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}
# What browsers call these formats: the upload forms refuse other files
# before the upload starts (static/js/picture-upload.js).
MEDIA_TYPES = ("image/jpeg", "image/png", "image/webp")
MAX_BYTES = settings.IMAGE_MAX_BYTES
MAX_PIXELS = 40_000_000


def upload_limits():
    """The server's limits as the browser checks them before an upload starts."""
    return {
        "types": ",".join(MEDIA_TYPES),
        "max_bytes": MAX_BYTES,
        "max_label": filesizeformat(MAX_BYTES),
    }


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


def normalise_upload(upload):
    """The picture as we keep it: upright, and without EXIF or other metadata.

    Photographers' cameras write GPS positions, serial numbers and names into
    EXIF; none of that may reach readers. Re-encoding drops it all (the ICC
    colour profile is kept, so colours stay right). A file that fails to
    decode to the end, such as a truncated JPEG, is refused here.
    """
    upload.seek(0)
    broken = ValidationError(
        _("Das Bild ist beschädigt oder unvollständig und lässt sich nicht lesen."),
        code="broken",
    )
    try:
        with PILImage.open(upload) as original:
            kind = ALLOWED_FORMATS[original.format]
            picture = ImageOps.exif_transpose(original)
            picture.load()
            icc_profile = original.info.get("icc_profile")
        if picture.mode not in ("RGB", "RGBA", "L", "LA", "P", "1"):
            # 16-bit and float pictures: browsers show 8 bits per channel anyway.
            picture = picture.convert("RGBA" if "A" in picture.getbands() else "RGB")
        buffer = io.BytesIO()
        options = {"icc_profile": icc_profile} if icc_profile else {}
        if kind == "JPEG":
            picture.convert("RGB").save(buffer, "JPEG", quality=90, optimize=True, **options)
        elif kind == "PNG":
            picture.save(buffer, "PNG", optimize=True, **options)
        else:
            picture.save(buffer, "WEBP", quality=90, **options)
    except (PILImage.DecompressionBombError, OSError, ValueError, SyntaxError, KeyError) as exc:
        raise broken from exc
    stem = Path(upload.name or "bild").stem
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[kind]
    return ContentFile(buffer.getvalue(), name=f"{stem}.{extension}")


# How wide a picture is shown where it is used, for the browser to pick a
# rendition (the layout is in portal.css).
SIZES = {
    "article": "(max-width: 56rem) calc(100vw - 2rem), 46rem",
    "teaser": "(max-width: 36rem) calc(100vw - 2rem), 12rem",
    "lead": "(max-width: 56rem) calc(100vw - 2rem), 46rem",
    "body": "(max-width: 56rem) calc(100vw - 2rem), 46rem",
    # Body pictures set beside the text (data-align left/right): half or a
    # third of the column, the whole width on phones (portal.css).
    "body-medium": "(max-width: 36rem) calc(100vw - 2rem), (max-width: 56rem) 50vw, 23rem",
    "body-small": "(max-width: 36rem) calc(100vw - 2rem), (max-width: 56rem) 34vw, 15.5rem",
}

# The crop of teaser lists and back-office thumbnails: 3:2 around the focal point.
CROP_RATIO = (3, 2)
CROP_WIDTHS = (320, 640)

# Widths for srcset; a picture gets those narrower than itself plus its own width.
RENDITION_WIDTHS = (480, 800, 1200, 1600)


def rendition_widths(width, steps=RENDITION_WIDTHS):
    """The widths to render a picture ``width`` wide in: each step narrower than it,
    and its own width where that is within the widest step (a 2,000 px picture
    got 1,600 twice before)."""
    widths = [w for w in steps if w < width]
    return [*widths, width] if width <= steps[-1] else widths


def unguessable(length=16):
    """A random path segment: 128 bits, URL-safe, so nobody finds a file by trying names."""
    return secrets.token_urlsafe(length)


@deconstructible
class UnguessableName:
    """``upload_to`` that stores a file under a random name, keeping only its extension.

    Pictures are uploaded days before the article they belong to appears, and
    media is served as plain files (by the app, a web server or S3) without
    asking the database. So the address itself must not be guessable: not
    from the uploader's file name ("embargo-minister-ruecktritt.jpg"), not
    from a sequential id, only from a page that shows the picture. The date
    folders only spread the files over directories.
    """

    def __init__(self, folder):
        self.folder = folder

    def __call__(self, instance, filename):
        extension = Path(filename).suffix.lower()
        return f"{timezone.now().strftime(self.folder)}{unguessable()}{extension}"


def make_renditions(image, storage=None):
    """Write the picture in a few widths, as JPEG (PNG if transparent) and WebP.

    Done when the picture is uploaded or replaced; pages only read the result
    from ``image.renditions``: {"fallback": [[width, name], ...], "webp": [...]}.
    Each rendering goes to a new random folder: its names cannot be guessed
    from the picture's id, and they never repeat, so a copy cached for a
    year (S3, a CDN, browsers) is never the wrong picture. The previous
    renditions are removed once the caller's transaction commits, after the
    pages that showed them have been pointed at the new ones.
    """
    storage = storage or image.file.storage
    old = image.renditions
    focus = (getattr(image, "focal_x", 50), getattr(image, "focal_y", 50))
    image.renditions = render_widths(
        image.file, f"renditions/{unguessable()}", {}, storage, focus=focus
    )
    image.save(update_fields=["renditions"])
    transaction.on_commit(lambda: delete_renditions(old, storage))
    return image.renditions


def delete_renditions(renditions, storage):
    for kind in ("fallback", "webp", "crop", "crop_webp"):
        for _width, name in renditions.get(kind, []):
            storage.delete(name)


def crop_box(size, focus, ratio=CROP_RATIO):
    """The largest box of ``ratio`` in a picture of ``size``, centred on ``focus``
    (percentages from the left and the top) as far as the edges allow."""
    width, height = size
    box_width = min(width, round(height * ratio[0] / ratio[1]))
    box_height = min(height, round(box_width * ratio[1] / ratio[0]))
    left = round(width * focus[0] / 100 - box_width / 2)
    top = round(height * focus[1] / 100 - box_height / 2)
    left = max(0, min(left, width - box_width))
    top = max(0, min(top, height - box_height))
    return (left, top, left + box_width, top + box_height)


def render_widths(file, folder, old, storage, focus=None):
    """Renditions of ``file`` under ``folder``, replacing those listed in ``old``.

    Besides the whole picture in a few widths: given a ``focus`` (the
    editor's focal point), a 3:2 crop around it for teaser lists and thumbnails."""
    delete_renditions(old, storage)
    with file.open("rb") as handle, PILImage.open(handle) as original:
        original.load()
        transparent = "A" in original.getbands() or "transparency" in original.info
        source = original.convert("RGBA" if transparent else "RGB")
    fallback_format, fallback_ext = ("PNG", "png") if transparent else ("JPEG", "jpg")
    renditions = {"fallback": [], "webp": [], "crop": [], "crop_webp": []}

    def write(picture, widths, stem, keys):
        for width in widths:
            height = round(picture.height * width / picture.width)
            resized = (
                picture if width == picture.width else picture.resize((width, height), LANCZOS)
            )
            for key, kind, extension in (
                (keys[0], fallback_format, fallback_ext),
                (keys[1], "WEBP", "webp"),
            ):
                buffer = io.BytesIO()
                options = {"quality": 82} if kind != "PNG" else {"optimize": True}
                resized.save(buffer, kind, **options)
                name = f"{folder}/{stem}{width}.{extension}"
                renditions[key].append([width, storage.save(name, ContentFile(buffer.getvalue()))])

    write(source, rendition_widths(source.width), "", ("fallback", "webp"))
    if focus is None:
        return {"fallback": renditions["fallback"], "webp": renditions["webp"]}
    cropped = source.crop(crop_box(source.size, focus))
    write(cropped, rendition_widths(cropped.width, CROP_WIDTHS), "crop-", ("crop", "crop_webp"))
    return renditions
