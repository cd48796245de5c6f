"""Caching what readers see, correct across processes without invalidation messages."""

import functools
import hashlib

from django.core.cache import cache
from django.db.models import Max, Subquery, Sum
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag

from articles.models import Article, ContentState

# Longest a cached response lives; any change to the content ends it sooner.
CACHE_SECONDS = 24 * 3600


def content_fingerprint():
    """Changes whenever what readers see may have changed.

    It is the number of committed writes to the content tables (counted by
    database triggers, migration 0013) and the newest visible publish time,
    which moves when a scheduled article reaches its time with no write at
    all. One small query; every process and machine reads the same value.
    """
    newest = Article.objects.published().order_by("-publish_at").values("publish_at")[:1]
    state = ContentState.objects.aggregate(changes=Sum("changes"), newest=Max(Subquery(newest)))
    latest = state["newest"]
    return f"{state['changes'] or 0}/{latest.timestamp() if latest else 0}"


def cached_while_unchanged(view=None, *, params=(), period=None):
    """Serve a GET from the cache as long as the content fingerprint is the same.

    The response carries an ETag from the fingerprint, so a reader or proxy
    asking again gets a 304 without the view running at all. Only the query
    parameters named in ``params`` make a different page (others cannot fill
    the cache); ``period`` (seconds) also renews the page that often, for
    pages that change with time alone, such as the news sitemap's 48 hours.
    """
    if view is None:
        return functools.partial(cached_while_unchanged, params=params, period=period)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        kept = [(name, request.GET.getlist(name)) for name in params if name in request.GET]
        identity = f"{request.scheme}://{request.get_host()}{request.path}?{kept}"
        now = timezone.now().timestamp()
        state = content_fingerprint() + (f"/{int(now // period)}" if period else "")
        digest = hashlib.sha256(f"{identity}|{state}".encode()).hexdigest()
        etag = quote_etag(digest[:32])
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return not_modified
        key = f"reader-page:{digest}"
        stored = cache.get(key)
        if stored is not None:
            content, content_type = stored
            response = HttpResponse(content, content_type=content_type)
            response["X-Cache"] = "hit"
        else:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if response.status_code == 200 and not response.streaming:
                cache.set(key, (response.content, response["Content-Type"]), CACHE_SECONDS)
            response["X-Cache"] = "miss"
        response["ETag"] = etag
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return response

    return wrapper
