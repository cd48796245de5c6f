"""What a form's POST tells about itself: which site sent it, and NUL bytes to answer at a field.

Forms that work without Django's CSRF cookie (subscriptions.forgery) and
the page for a CSRF failure (portal.views.csrf_failure) both ask
``cross_site()``. Forms that would rather say at the field that a NUL byte
was typed than have the whole request refused (portal.middleware) are
marked with ``nul_bytes_at_the_field`` and clean their data with
``without_nul_bytes()``.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import QueryDict
from django.utils.http import is_same_domain

# Sec-Fetch-Site values that mean: the page that sent this is not one of ours.
_OTHER_SITES = {"cross-site", "same-site"}


def cross_site(request):
    """Whether the browser says the request was sent from a page of another site.

    Browsers put ``Origin`` on every POST, and ``Sec-Fetch-Site`` on every
    request (Chrome 76, Firefox 90, Safari 16.4); no page can set or change
    either. ``Origin`` decides where it names a site: ours (scheme and host
    of the request) or one in CSRF_TRUSTED_ORIGINS is fine, any other is
    not. Where it is missing or ``null`` (sent so after a redirect across
    sites, or under a strict referrer policy), ``Sec-Fetch-Site`` decides:
    "cross-site" and "same-site" (another host under our domain) are
    foreign. With neither header (old browsers, scripts) nothing is said,
    and this is False: the caller needs a second check of its own.
    """
    origin = request.headers.get("Origin", "")
    if origin and origin != "null":
        return not _trusted(origin, request)
    return request.headers.get("Sec-Fetch-Site", "") in _OTHER_SITES


def _trusted(origin, request):
    if origin == f"{request.scheme}://{request.get_host()}":
        return True
    if origin in settings.CSRF_TRUSTED_ORIGINS:
        return True
    # "https://*.example.org" in CSRF_TRUSTED_ORIGINS: its subdomains, as Django reads it.
    scheme, netloc = urlsplit(origin).scheme, urlsplit(origin).netloc
    return any(
        trusted.startswith(f"{scheme}://*.")
        and is_same_domain(netloc, trusted.removeprefix(f"{scheme}://*"))
        for trusted in settings.CSRF_TRUSTED_ORIGINS
    )


def nul_bytes_at_the_field(view):
    """Mark a view whose form answers a NUL byte in the POST data at the field.

    portal.middleware.RejectNulBytesMiddleware then lets its POST through
    (never its address or query string); the view must clean the data with
    without_nul_bytes() before anything reaches the database.
    """
    view.nul_bytes_at_the_field = True
    return view


def without_nul_bytes(data):
    """(``data`` with every NUL byte removed, the names of the fields that had one).

    ``data`` is request.POST (a QueryDict), a dict of strings as a form is
    given one in code, or None; it is returned as it is when it has none.
    """
    if data is None:
        return None, frozenset()
    lists = _lists(data)
    had = frozenset(
        name.replace("\x00", "")
        for name, values in lists
        if "\x00" in name or any(isinstance(v, str) and "\x00" in v for v in values)
    )
    if not had:
        return data, had
    if not isinstance(data, QueryDict):
        return {name.replace("\x00", ""): _without(value) for name, value in data.items()}, had
    cleaned = QueryDict(mutable=True)
    for name, values in lists:
        cleaned.setlist(name.replace("\x00", ""), [_without(value) for value in values])
    return cleaned, had


def _lists(data):
    if isinstance(data, QueryDict):
        return list(data.lists())
    return [
        (name, list(value) if isinstance(value, list | tuple) else [value])
        for name, value in data.items()
    ]


def _without(value):
    if isinstance(value, list | tuple):
        return [_without(v) for v in value]
    return value.replace("\x00", "") if isinstance(value, str) else value
