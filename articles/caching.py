"""Caching what readers see, correct across processes without invalidation messages."""

import datetime
import functools
import hashlib

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag

from ads.placement import last_boundary
from articles.models import Article, ContentState

# Longest a cached response lives; any change to the content ends it sooner.
CACHE_SECONDS = 24 * 3600


# Stands for "now" in the fingerprint's SQL, built once (see _fingerprint_query).
_NOW = datetime.datetime(2000, 1, 1, 0, 0, 0, 424242, tzinfo=datetime.UTC)


@functools.cache
def _fingerprint_query():
    """The fingerprint's SQL, compiled once from the querysets that define it.

    Building it through the ORM on every request cost 2 ms, twenty times
    what PostgreSQL needs to answer it; every page pays for it.
    """
    newest = Article.objects.published(at=_NOW).order_by("-publish_at").values("publish_at")[:1]
    newest_sql, newest_params = newest.query.sql_with_params()
    ads_sql, ads_params = last_boundary(_NOW).query.sql_with_params()
    # Only compiled querysets and a table name: nothing from a request.
    table = ContentState._meta.db_table
    sql = f'SELECT (SELECT SUM("changes") FROM "{table}"), ({newest_sql}), ({ads_sql})'  # noqa: S608
    return sql, (*newest_params, *ads_params)


def content_fingerprint():
    """Changes whenever what readers see may have changed.

    - the number of committed writes to the content tables, articles and
      ads alike (counted by database triggers, migrations 0013 and ads 0002);
    - the newest visible publish time, which moves when a scheduled article
      reaches its time with no write at all;
    - the latest campaign start or end passed, when ad places appear or go;
    - the day (vendor listings run by dates).

    The IT-Guide Plus box's quarter hour is not part of it: only pages that
    show the box change with it (see ``serve(turn=...)``).

    One small query; every process and machine reads the same value.
    """
    now = timezone.now()
    sql, params = _fingerprint_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, [now if value == _NOW else value for value in params])
        changes, latest, ads = cursor.fetchone()
    return "/".join(
        str(part)
        for part in (
            changes or 0,
            latest.timestamp() if latest else 0,
            ads.timestamp() if ads else 0,
            timezone.localdate(now).isoformat(),
        )
    )


def request_fingerprint(request):
    """The content fingerprint, read once per request (base.html's fragments use it too)."""
    if getattr(request, "content_fingerprint", None) is None:
        request.content_fingerprint = content_fingerprint()
    return request.content_fingerprint


def cached_while_unchanged(view=None, *, params=(), period=None):
    """Serve a GET from the cache as long as the content fingerprint is the same.

    The response carries an ETag from the fingerprint, so a reader or proxy
    asking again gets a 304 without the view running at all. Only the query
    parameters named in ``params`` make a different page, and only they reach
    the view (others can neither fill the cache nor end up in a cached page);
    ``period`` (seconds) also renews the page that often, for pages that
    change with time alone, such as the news sitemap's 48 hours.
    """
    if view is None:
        return functools.partial(cached_while_unchanged, params=params, period=period)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        return serve(request, lambda: view(request, *args, **kwargs), params, period)

    return wrapper


def serve(request, render, params=(), period=None, turn=None):
    """The page from the cache, a 304, or ``render()``'s response stored for the next reader.

    ``turn``: a callable whose value also renews the page (the Plus box's quarter hour).
    """
    kept = QueryDict(mutable=True)
    for name in params:
        if name in request.GET:
            kept.setlist(name, request.GET.getlist(name))
    request.GET = kept
    identity = f"{request.scheme}://{request.get_host()}{request.path}?{kept.urlencode()}"
    now = timezone.now().timestamp()
    state = request_fingerprint(request) + (f"/{int(now // period)}" if period else "")
    if turn is not None:
        state += f"/{turn()}"
    digest = hashlib.sha256(f"{identity}|{state}".encode()).hexdigest()
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
