"""Counting what ads did: clicks at once, impressions gathered in the process and flushed.

Nothing here knows who looked or clicked: the counts are per creative and
day, with no address, cookie or identifier of anyone.

Impressions are added up in this process's memory, not in the cache: a cache
may drop a key at any time (the local-memory one keeps 300), and a counter
that vanishes or turns negative between reading and lowering it loses or
doubles counts. A process's own tally can only be lost with the process, and
an ending process flushes it (atexit; gunicorn recycles workers gracefully).
"""

import atexit
import logging
import re
import threading
import time
from collections import Counter

from django.db import connection, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

# How often a process writes the impressions it gathered to the database.
FLUSH_SECONDS = 30

_lock = threading.Lock()
_pending = Counter()  # (creative id, day) -> impressions not yet in the database
_last_flush = time.monotonic()

# Clients that fetch pages without a person looking: crawlers, link checkers,
# previews. robots.txt keeps polite ones out of /anzeige/; these are the rest.
_MACHINE = re.compile(
    r"bot|crawl|spider|slurp|preview|fetch|monitor|check|curl|wget|python-requests|httpclient",
    re.IGNORECASE,
)


def counts(request):
    """Whether this request is a person's: a GET, not a prefetch, not a known robot."""
    if request.method != "GET":
        return False
    purpose = request.headers.get("Sec-Purpose", "") + request.headers.get("Purpose", "")
    if "prefetch" in purpose or "prerender" in purpose:
        return False
    return not _MACHINE.search(request.headers.get("User-Agent", ""))


def count_impression(creative_id):
    """One showing of the creative, added to today's tally in this process."""
    with _lock:
        _pending[(creative_id, timezone.localdate())] += 1
    maybe_flush()


def maybe_flush():
    """Flush when this process has not done so for FLUSH_SECONDS (outside transactions)."""
    global _last_flush
    if time.monotonic() - _last_flush < FLUSH_SECONDS or connection.in_atomic_block:
        return
    _last_flush = time.monotonic()
    try:
        flush_impressions()
    except Exception:  # the reader gets the ad anyway; the tally waits for the next flush
        logger.exception("Impressions could not be written; they are kept for the next flush")


def flush_impressions():
    """Write the impressions gathered in this process to the daily rows; return how many.

    The tally is taken out under a lock, so two flushes never write the same
    counts and showings counted meanwhile start a new tally. If the database
    refuses, the counts go back into the tally and nothing is lost.
    """
    global _pending
    with _lock:
        taken, _pending = _pending, Counter()
    if not taken:
        return 0
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            add_to_days([(pk, day, n, 0) for (pk, day), n in taken.items()], cursor=cursor)
    except Exception:
        with _lock:
            _pending.update(taken)
        raise
    return sum(taken.values())


@atexit.register
def _flush_on_exit():
    """A process that ends (a worker recycled, a deploy) writes what it gathered."""
    try:
        flush_impressions()
    except Exception:  # the database may be gone already; the log says what was lost
        logger.exception("Impressions not written at exit: %s", dict(_pending))


def count_click(creative_id):
    """One click, added to today's row in one atomic statement."""
    with connection.cursor() as cursor:
        add_to_days([(creative_id, timezone.localdate(), 0, 1)], cursor=cursor)


def add_to_days(rows, cursor):
    """Add (creative, day, impressions, clicks) to the daily rows, creating them as needed.

    One INSERT ... ON CONFLICT: concurrent writers add up instead of
    overwriting each other (Django's bulk_create can only overwrite). A
    creative deleted meanwhile is skipped rather than failing the batch.
    """
    values = ", ".join(["(%s, %s::date, %s, %s)"] * len(rows))
    cursor.execute(
        "INSERT INTO ads_adday (creative_id, day, impressions, clicks) "  # noqa: S608
        f"SELECT v.* FROM (VALUES {values}) AS v (creative_id, day, impressions, clicks) "
        "WHERE EXISTS (SELECT 1 FROM ads_creative c WHERE c.id = v.creative_id) "
        "ON CONFLICT (creative_id, day) DO UPDATE SET "
        "impressions = ads_adday.impressions + EXCLUDED.impressions, "
        "clicks = ads_adday.clicks + EXCLUDED.clicks",
        [value for row in rows for value in row],
    )
