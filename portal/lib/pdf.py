"""PDFs from our HTML, rendered by WeasyPrint from our own files, kept in storage."""

import contextlib
import hashlib
import mimetypes
import time
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from PIL import ImageFile
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Importing WeasyPrint switches Pillow, process-wide, to accepting truncated
# images; uploads must be refused when truncated (portal.lib.images), so we
# switch it back. Our PDFs only contain pictures that passed that check.
ImageFile.LOAD_TRUNCATED_IMAGES = False

# Namespace of the PostgreSQL advisory locks that count PDF renderings.
_LOCK_NAMESPACE = 0x50444621


class RenderBusy(Exception):
    """All rendering slots stayed taken for longer than a request may wait."""


class LocalFetcher(URLFetcher):
    """Pictures and stylesheets for PDFs come from our own files, never the network.

    WeasyPrint would otherwise fetch /media/ and /static/ over HTTP from this
    very server (a deadlock on one worker) and follow any URL it is given.
    """

    def fetch(self, url, headers=None):
        path = unquote(urlsplit(url).path)
        # Pictures on S3 (or any storage with absolute URLs) are read through the storage.
        stored_at = default_storage.url("x")[:-1]
        name = None
        if "://" in stored_at and url.startswith(stored_at):
            name = unquote(url[len(stored_at) :].split("?", 1)[0])
        elif path.startswith(settings.MEDIA_URL):
            name = path.removeprefix(settings.MEDIA_URL)
        if name is not None:
            with default_storage.open(name, "rb") as handle:
                data = handle.read()
        elif path.startswith(settings.STATIC_URL):
            found = finders.find(path.removeprefix(settings.STATIC_URL))
            if not found:
                raise ValueError(f"no static file {path}")
            with open(found, "rb") as handle:
                data = handle.read()
        else:
            raise ValueError(f"PDFs load only our own files, not {url}")
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, data, {"Content-Type": content_type})


def digest(html):
    """What identifies a PDF: the HTML it is made from (text, pictures, links, name)."""
    return hashlib.sha256(html.encode()).hexdigest()[:32]


def stored_name(folder, digest):
    return f"{folder}/{digest}.pdf"


def stored(name, storage=default_storage):
    """The stored PDF's bytes, or None when there is none (yet, or any more)."""
    if not storage.exists(name):  # on S3 as on disk
        return None
    with storage.open(name, "rb") as handle:
        return handle.read()


def render(html, base_url):
    """A4, tagged PDF/UA (readable by screen readers), fonts embedded by WeasyPrint."""
    return HTML(string=html, base_url=base_url, url_fetcher=LocalFetcher()).write_pdf(
        pdf_variant="pdf/ua-1"
    )


def get_or_render(folder, html, base_url, storage=default_storage):
    """(pdf bytes, cached?) for this HTML, kept in ``folder`` of ``storage``.

    A folder holds one document's PDF (an article's, a receipt's). A stored
    PDF is served as it is; otherwise one is rendered within a rendering slot
    (RenderBusy if none frees up in time), stored, and the folder's older
    PDFs removed.
    """
    name = stored_name(folder, digest(html))
    if (data := stored(name, storage)) is not None:
        return data, True
    with render_slot():
        # Readers of a newsletter ask for the same PDF at once: whoever waited
        # for a slot may find it rendered and stored by then.
        if (data := stored(name, storage)) is not None:
            return data, True
        data = render(html, base_url)
        storage.save(name, ContentFile(data))
    for old in storage.listdir(folder)[1]:
        if f"{folder}/{old}" != name:
            storage.delete(f"{folder}/{old}")
    return data, False


@contextlib.contextmanager
def render_slot():
    """Hold one of PDF_RENDER_SLOTS rendering slots, shared by every process.

    Rendering takes about a second of CPU. Without a bound, a burst of PDF
    requests would occupy every worker and the site would stop answering.
    The slots are PostgreSQL advisory locks, so the bound holds across all
    app processes and machines; a worker that dies frees its slot with its
    connection. A request waits at most PDF_RENDER_WAIT seconds.
    """
    deadline = time.monotonic() + settings.PDF_RENDER_WAIT
    with connection.cursor() as cursor:
        while True:
            for slot in range(settings.PDF_RENDER_SLOTS):
                cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_LOCK_NAMESPACE, slot])
                if cursor.fetchone()[0]:
                    break
            else:
                if time.monotonic() >= deadline:
                    raise RenderBusy
                time.sleep(0.05)
                continue
            break
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_NAMESPACE, slot])
