"""The page cache: reader pages assembled from parts that each renew only when their topics change.

A reader page is cached in two layers (see README, "Der Seiten-Cache"):

- **The page's own part**, kept under the versions of the topics the view
  names for its address (``@reader_page(topics=...)``: an article page
  ``article:17``, a section list ``section:politik``; every page also
  ``sections`` for the navigation). The versions are read *before* the view
  runs, so what is stored is at least as new as the versions it is kept
  under: a page is never kept past a change it shows.
- **Fragments** that many pages share and that change on their own schedule
  (the "Aktuelle Meldungen" box, the IT-Guide Plus box, the ad places, the
  related articles): the page holds a placeholder (``{% fragment %}``); each
  fragment is cached once under its own topics' versions and put in on every
  request. Publishing a new article renews the box, not the 200,000 pages
  that show it; the Plus box turning renews the box alone.

One query per request reads the versions of all topics of the page and its
fragments (``portal.lib.topics``); a hit then costs two cache reads and no
template. Topic versions are counted by the database, the same in every
process, so two app processes on one Redis never disagree.

Apps register fragments from ``AppConfig.ready()`` with ``fragment()``.
"""

import functools
import hashlib
import os
import re
import secrets
from collections import OrderedDict
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag
from django.utils.safestring import mark_safe

from portal.lib import topics as topic_store

# Longest a cached part lives; any change to its topics ends it sooner.
CACHE_SECONDS = 24 * 3600

# What every reader page shows: the navigation of the sections.
EVERY_PAGE = ("sections",)


def _release():
    """A digest of the code, templates and settings that render pages: a deploy starts new keys.

    Topic versions say when content changed, not when the code that renders
    it did; without this a deploy would serve pages of the old templates
    until their topics change. The configuration (PORTAL_*, DJANGO_*, EMAIL_*
    variables) counts too: pages show some of it (the Datenschutzerklärung its
    retention periods and mail server), and a restart with other values must
    not serve yesterday's. PORTAL_RELEASE (e.g. the commit) overrides the code's part.
    """
    configuration = hashlib.sha256()
    for name in sorted(os.environ):
        if name.startswith(("PORTAL_", "DJANGO_", "EMAIL_")):
            configuration.update(f"{name}={os.environ[name]}\n".encode())
    if getattr(settings, "PORTAL_RELEASE", ""):
        return f"{settings.PORTAL_RELEASE}-{configuration.hexdigest()[:8]}"
    base = Path(settings.BASE_DIR)
    skip = {".venv", ".git", "var", "tests", "bench", "media", "node_modules", "staticfiles"}
    digest = hashlib.sha256()
    tops = sorted(path for path in base.iterdir() if path.is_dir() and path.name not in skip)
    for path in sorted(file for top in tops for file in top.rglob("*")):
        if path.suffix in {".py", ".html", ".txt", ".xml"}:
            digest.update(str(path.relative_to(base)).encode())
            digest.update(path.read_bytes())
    return f"{digest.hexdigest()[:16]}-{configuration.hexdigest()[:8]}"


_RELEASE = _release()

# Placeholders for fragments in a page being rendered; the nonce keeps page
# content (an article body, say) from ever posing as one.
_NONCE = secrets.token_hex(8)
_PLACEHOLDER = re.compile(rf"<!--fragment:{_NONCE}:(\d+)-->")

# Fragments already put together in this process, by their versioned key:
# the few that every page shows are then neither fetched nor rendered again.
_LOCAL_SIZE = 256
_local = OrderedDict()


class Fragment:
    """A part many pages share: its topics and how to render it, given its arguments."""

    def __init__(self, name, topics, render, variant=None, shared=None, finish=None):
        self.name, self.render, self.variant = name, render, variant
        self.topics = topics if callable(topics) else lambda *args: topics
        self.shared = shared or (lambda *args: args)
        self.finish = finish or (lambda value, *args: value)

    def key(self, args, versions):
        variant = self.variant() if self.variant else ""
        text = f"{_RELEASE}|{self.name}|{self.shared(*args)!r}|{versions}|{variant}"
        return "fragment:" + hashlib.sha256(text.encode()).hexdigest()


_fragments = {}

# Topics that most pages need (the navigation, fragments without arguments):
# read along with any other, so a page needs one query for all of them.
_shared_topics = dict.fromkeys(EVERY_PAGE)


def fragment(name, *, topics, render, variant=None, shared=None, finish=None):
    """Register a fragment.

    ``topics``: the topics its content depends on, a tuple or
    ``topics(*args)``; ``render(request, *args)``: its HTML; ``variant()``: a
    value that also renews it (the Plus box's turn).

    A fragment that differs a little from page to page can be kept once for
    many: ``shared(*args)`` gives the arguments it is rendered and kept with,
    ``finish(value, *args)`` makes each page's HTML from the kept value (the
    related list: kept per section, without the article it stands under).
    """
    _fragments[name] = Fragment(name, topics, render, variant, shared, finish)
    if not callable(topics):
        _shared_topics.update(dict.fromkeys(topics))


def render_fragment(request, name, args):
    """The fragment's HTML in a page: a placeholder while a reader page is assembled.

    Elsewhere (a form page, a 404) the fragment comes from the cache as well.
    """
    args = tuple(args)
    if request is None:
        return mark_safe(_fragments[name].render(None, *args))  # noqa: S308 - our templates
    pending = getattr(request, "page_fragments", None)
    if pending is None:
        return mark_safe(_fill(request, [(name, args)])[0][1])  # noqa: S308
    pending.append((name, args))
    return mark_safe(f"<!--fragment:{_NONCE}:{len(pending) - 1}-->")  # noqa: S308


def topic_versions(request, topics):
    """The versions of ``topics`` as one string, read at most once per request per topic."""
    known = request.__dict__.setdefault("topic_versions", {})
    missing = [topic for topic in dict.fromkeys(topics) if topic not in known]
    if missing:
        missing += [
            topic for topic in _shared_topics if topic not in known and topic not in missing
        ]
        known.update(zip(missing, topic_store.versions(missing, timezone.now()), strict=True))
    return ".".join(str(known[topic]) for topic in topics)


_remembered = OrderedDict()


def remembered(request, topics, name, compute):
    """``compute()``'s value, kept in this process while ``topics`` are unchanged.

    For small things every page needs (the sections of the navigation, the
    occupied ad places): no query and no cache read once the process has them.
    """
    key = (name, topic_versions(request, topics))
    if key in _remembered:
        _remembered.move_to_end(key)
        return _remembered[key]
    value = _remembered[key] = compute()
    while len(_remembered) > _LOCAL_SIZE:
        _remembered.popitem(last=False)
    return value


def forget():
    """Drop what this process keeps (for tests, which roll their writes back)."""
    _local.clear()
    _remembered.clear()


def reader_page(view=None, *, params=(), topics=()):
    """Mark a view (function or class) as a reader page, cached by ReaderPageCacheMiddleware.

    ``params``: the query parameters that make a different page; others are
    dropped before the view sees them, so nobody can fill the cache with
    variants or slip text into a page others get. ``topics``: the topics of
    the page's own part, a tuple or ``topics(**url_kwargs)``.
    """
    if view is None:
        return functools.partial(reader_page, params=params, topics=topics)
    view.reader_page_params = tuple(params)
    view.reader_page_topics = topics
    return view


def cached_while_unchanged(view=None, *, params=(), topics=(), period=None):
    """Serve a GET from the cache while its topics are unchanged (feeds, sitemaps).

    No fragments and no session check. ``period`` (seconds) also renews the
    page that often, for pages that change with time alone, such as the news
    sitemap's 48 hours.
    """
    if view is None:
        return functools.partial(
            cached_while_unchanged, params=params, topics=topics, period=period
        )

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        names = _page_topics(topics, kwargs, ())
        variant = int(timezone.now().timestamp() // period) if period else ""
        return cached_response(
            request, lambda: view(request, *args, **kwargs), params, names, variant
        )

    return wrapper


def _page_topics(topics, kwargs, every):
    names = topics(**kwargs) if callable(topics) else topics
    return tuple(dict.fromkeys((*every, *names)))


def _keep_params(request, params):
    kept = QueryDict(mutable=True)
    for name in params:
        if name in request.GET:
            kept.setlist(name, request.GET.getlist(name))
    request.GET = kept
    return f"{request.scheme}://{request.get_host()}{request.path}?{kept.urlencode()}"


def cached_response(request, render, params, topics, variant="", assemble=False):
    """The page from the cache, a 304, or ``render()``'s response stored for the next reader.

    The response carries an ETag from the versions of everything it shows,
    so a reader or proxy asking again gets a 304 without any template.
    """
    identity = _keep_params(request, params)
    key = "page:" + hashlib.sha256(f"{_RELEASE}|{identity}".encode()).hexdigest()
    entry = cache.get(key)
    if entry is not None and any(name not in _fragments for name, _args in entry["fragments"]):
        entry = None  # kept by another release that had other fragments
    fragments = entry["fragments"] if entry else ()
    wanted = [*topics, *(t for name, args in fragments for t in _fragments[name].topics(*args))]
    topic_versions(request, wanted)  # one query for the page and its fragments
    own = f"{topic_versions(request, topics)}|{variant}"
    if entry is not None and entry["topics"] == topics and entry["versions"] == own:
        parts, content_type, state = entry["parts"], entry["type"], "hit"
    else:
        response = _render(request, render, assemble)
        if response.status_code != 200 or response.streaming:
            return response  # errors and streams are neither stored nor tagged
        parts, fragments, content_type = _split(request, response)
        entry = {"topics": topics, "versions": own, "parts": parts, "type": content_type}
        entry["fragments"] = fragments
        # Only body and type are kept: a view whose other headers matter stays out.
        cache.set(key, entry, CACHE_SECONDS)
        state = "miss"
    pieces = _fill(request, fragments)
    etag = quote_etag(
        hashlib.sha256(f"{identity}|{own}|{[key for key, _ in pieces]}".encode()).hexdigest()[:32]
    )
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        patch_cache_control(not_modified, public=True, max_age=0, must_revalidate=True)
        return not_modified
    content = [parts[0]]
    for (_key, html), text in zip(pieces, parts[1:], strict=True):
        content += [html, text]
    response = HttpResponse("".join(content).encode(), content_type=content_type)
    response["X-Cache"] = state
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return response


def _render(request, render, assemble):
    """The view's response, with fragments as placeholders where ``assemble``."""
    if assemble:
        request.page_fragments = []
    try:
        response = render()
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
    finally:
        pending = request.__dict__.pop("page_fragments", None)
    request.rendered_fragments = pending or []
    return response


def _split(request, response):
    """The response's text between placeholders, the fragments in order, and its type."""
    fragments = request.rendered_fragments
    text = response.content.decode(response.charset)
    parts = _PLACEHOLDER.split(text)[::2] if fragments else [text]
    return parts, fragments, response["Content-Type"]


def _fill(request, fragments):
    """(key, HTML) of each fragment: from this process, the cache, or rendered now."""
    if not fragments:
        return []
    keys = []
    for name, args in fragments:
        fragment = _fragments[name]
        keys.append(fragment.key(args, topic_versions(request, fragment.topics(*args))))
    found = {key: _local[key] for key in keys if key in _local}
    missing = [key for key in keys if key not in found]
    if missing:
        found.update(cache.get_many(missing))
    new = {}
    for key, (name, args) in zip(keys, fragments, strict=True):
        if key not in found:
            fragment = _fragments[name]
            found[key] = new[key] = fragment.render(request, *fragment.shared(*args))
    if new:
        cache.set_many(new, CACHE_SECONDS)
    for key in keys:
        _local[key] = found[key]
        _local.move_to_end(key)
    while len(_local) > _LOCAL_SIZE:
        _local.popitem(last=False)
    return [
        (key, _fragments[name].finish(found[key], *args))
        for key, (name, args) in zip(keys, fragments, strict=True)
    ]


class ReaderPageCacheMiddleware:
    """Reader pages from the cache while their topics are unchanged.

    Only for views marked ``@reader_page`` and only for GET and HEAD without
    a session cookie: staff and logged-in subscribers always get a fresh
    page. Every change readers would see changes a topic's version in the
    database, so the next request renders anew, in every process.
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
        topics = _page_topics(view.reader_page_topics, view_kwargs, EVERY_PAGE)
        return cached_response(
            request,
            lambda: view_func(request, *view_args, **view_kwargs),
            params,
            topics,
            assemble=True,
        )
