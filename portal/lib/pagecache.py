"""The page cache: reader pages and shared fragments, kept while the content version is the same.

The **content version** is one short string that changes whenever what
readers see may have changed. It is read in one small query per request and
is the same in every process and on every machine, so a cached page is
never stale and no process has to tell another anything:

- the number of committed writes to the content tables, counted by database
  triggers that each app attaches to its tables (``portal.lib.triggers``);
- one timestamp per registered dependency that moves without any write,
  such as the newest visible publish time (a scheduled article reaching its
  time) or the last campaign start or end passed;
- the day (listings that run by dates).

Apps register their part from their ``AppConfig.ready()``:
``version_depends_on()`` for such timestamps, ``reader_pages_vary_with()``
for a value that renews every reader page (the IT-Guide Plus box's quarter
hour). A view says that it is a reader page with ``@reader_page``.
"""

import datetime
import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag

from portal.lib.triggers import WRITES_TABLE

# Longest a cached response lives; any change to the content ends it sooner.
CACHE_SECONDS = 24 * 3600

# Stands for "now" in the version's SQL, built once (see _version_query).
_NOW = datetime.datetime(2000, 1, 1, 0, 0, 0, 424242, tzinfo=datetime.UTC)

# Registered by the apps (see the module docstring).
_timestamps = []
_reader_page_variants = []


def version_depends_on(subquery):
    """Renew the content version when this timestamp moves.

    ``subquery(now)`` returns a queryset of one row with one timestamp
    column, for example the newest publish time up to ``now``.
    """
    _timestamps.append(subquery)
    _version_query.cache_clear()


def reader_pages_vary_with(value):
    """Renew every reader page when ``value()`` changes (it is called once per page)."""
    _reader_page_variants.append(value)


@functools.cache
def _version_query():
    """The version's SQL, compiled once from the registered querysets.

    Building it through the ORM on every request cost 2 ms, twenty times
    what PostgreSQL needs to answer it; every page pays for it.
    """
    # Only compiled querysets and a table name: nothing from a request.
    parts, params = [f'(SELECT SUM("writes") FROM "{WRITES_TABLE}")'], []  # noqa: S608
    for subquery in _timestamps:
        sql, sql_params = subquery(_NOW).query.sql_with_params()
        parts.append(f"({sql})")
        params.extend(sql_params)
    return f"SELECT {', '.join(parts)}", tuple(params)


def content_version():
    """The content version now: changes whenever what readers see may have changed."""
    now = timezone.now()
    sql, params = _version_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, [now if value == _NOW else value for value in params])
        writes, *timestamps = cursor.fetchone()
    return "/".join(
        [
            str(writes or 0),
            *(str(moment.timestamp() if moment else 0) for moment in timestamps),
            timezone.localdate(now).isoformat(),
        ]
    )


def request_content_version(request):
    """The content version, read once per request (base.html's fragments use it too)."""
    if getattr(request, "content_version", None) is None:
        request.content_version = content_version()
    return request.content_version


def reader_page(view=None, *, params=()):
    """Mark a view (function or class) as a reader page, cached by ReaderPageCacheMiddleware.

    ``params``: the query parameters that make a different page; others are
    dropped before the view sees them, so nobody can fill the cache with
    variants or slip text into a page others get.
    """
    if view is None:
        return functools.partial(reader_page, params=params)
    view.reader_page_params = tuple(params)
    return view


def cached_while_unchanged(view=None, *, params=(), period=None):
    """Serve a GET from the cache as long as the content version is the same.

    For feeds and sitemaps, which are no reader pages (no Plus box, no
    session check). ``period`` (seconds) also renews the page that often, for
    pages that change with time alone, such as the news sitemap's 48 hours.
    """
    if view is None:
        return functools.partial(cached_while_unchanged, params=params, period=period)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        return cached_response(request, lambda: view(request, *args, **kwargs), params, period)

    return wrapper


def cached_response(request, render, params=(), period=None, variants=()):
    """The page from the cache, a 304, or ``render()``'s response stored for the next reader.

    The response carries an ETag from the version, so a reader or proxy
    asking again gets a 304 without the view running at all. ``variants``:
    callables whose values also renew the page.
    """
    kept = QueryDict(mutable=True)
    for name in params:
        if name in request.GET:
            kept.setlist(name, request.GET.getlist(name))
    request.GET = kept
    identity = f"{request.scheme}://{request.get_host()}{request.path}?{kept.urlencode()}"
    now = timezone.now().timestamp()
    version = request_content_version(request) + (f"/{int(now // period)}" if period else "")
    for variant in variants:
        version += f"/{variant()}"
    digest = hashlib.sha256(f"{identity}|{version}".encode()).hexdigest()
    etag = quote_etag(digest[:32])
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        patch_cache_control(not_modified, public=True, max_age=0, must_revalidate=True)
        return not_modified
    key = f"reader-page:{digest}"
    stored = cache.get(key)
    if stored is not None:
        content, content_type = stored
        response = HttpResponse(content, content_type=content_type)
        response["X-Cache"] = "hit"
    else:
        response = render()
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code != 200 or response.streaming:
            return response  # errors and streams are neither stored nor tagged
        # Only body and type are kept: a view whose other headers matter stays out.
        cache.set(key, (response.content, response["Content-Type"]), CACHE_SECONDS)
        response["X-Cache"] = "miss"
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return response


class ReaderPageCacheMiddleware:
    """Whole reader pages from the cache while the content version is the same.

    Only for views marked ``@reader_page`` and only for GET and HEAD without
    a session cookie: staff and logged-in subscribers always get a fresh
    page. Every change readers would see changes the content version, so the
    next request renders anew, in every process, whatever the cache (local
    memory or a shared Redis).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view = getattr(view_func, "view_class", view_func)
        params = getattr(view, "reader_page_params", None)
        if (
            params is None
            or request.method not in ("GET", "HEAD")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            return None
        return cached_response(
            request,
            lambda: view_func(request, *view_args, **view_kwargs),
            params,
            variants=_reader_page_variants,
        )
