from django.conf import settings
from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

from articles.caching import serve


class RejectNulBytesMiddleware:
    """Answer 400 to a NUL byte anywhere in the address or the form data.

    PostgreSQL cannot store or compare text containing NUL; without this, a
    search or form field with %00 reaches the database and ends in a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or self._has_nul(request.GET) or self._has_nul(request.POST):
            raise BadRequest(_("Die Anfrage enthält ein Nullzeichen."))
        return self.get_response(request)

    @staticmethod
    def _has_nul(data):
        return any("\x00" in value for values in data.lists() for value in values[1])


# The pages readers read, and the query parameters that make a different page
# of each. Other parameters are dropped before the view sees them, so nobody
# can fill the cache with variants or slip text into a page others get.
READER_PAGES = {
    "home": (),
    "articles:detail": (),
    "articles:print": (),
    "articles:section": ("page",),
    "articles:tag": ("page",),
    "articles:archive": (),
    "articles:archive-year": (),
    "articles:archive-month": ("page",),
    "articles:search": ("q", "page", "sortierung", "bereich", "art", "stichwort", "von", "bis"),
    "ads:directory": ("kategorie", "plz", "ort", "q", "page"),
    "ads:vendor": (),
}


class ReaderPageCacheMiddleware:
    """Whole reader pages from the cache while the content is unchanged (articles.caching).

    Only for GET and HEAD without a session cookie: staff and logged-in
    subscribers always get a fresh page. Every change readers would see
    changes the content fingerprint, so the next request renders anew, in
    every process, whatever the cache (local memory or a shared Redis).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        params = READER_PAGES.get(match.view_name) if match else None
        if (
            params is None
            or request.method not in ("GET", "HEAD")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            return None
        return serve(request, lambda: view_func(request, *view_args, **view_kwargs), params)
