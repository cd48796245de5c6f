from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from ads.templatetags import ads as ad_tags
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
    "impressum": (),
    "legal": (),
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
        # Every reader page shows the IT-Guide Plus box, which turns each quarter hour.
        return serve(
            request,
            lambda: view_func(request, *view_args, **view_kwargs),
            params,
            turn=ad_tags.plus_turn,
        )


class HealthCheckMiddleware:
    """/healthz/ for load balancers, answered before host checks, sessions and the rest.

    200 while the database answers, 503 when it does not; the cache's state
    is reported too, but the site serves without it. Balancers often ask by
    IP address, which ALLOWED_HOSTS would refuse, and over plain HTTP.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != "/healthz/":
            return self.get_response(request)
        state = {"database": "ok", "cache": "ok"}
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            state["database"] = "unavailable"
        try:
            cache.set("healthz", "1", 10)
            if cache.get("healthz") != "1":
                state["cache"] = "unavailable"
        except Exception:  # any backend's failure: reported, not raised
            state["cache"] = "unavailable"
        response = JsonResponse(state, status=200 if state["database"] == "ok" else 503)
        patch_cache_control(response, no_store=True)
        return response
