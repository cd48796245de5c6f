"""Counting what ads did: clicks at once, impressions gathered in the process and flushed.

Nothing here knows who looked or clicked: the counts are per creative and
day, with no address, cookie or identifier of anyone. To count a client's
repeated clicks once, a keyed hash of creative, network and browser is kept
for CLICK_WINDOW (ads.models.ClickWindow) and deleted after it.

Impressions are added up in this process's memory, not in the cache: a cache
may drop a key at any time (the local-memory one keeps 300), and a counter
that vanishes or turns negative between reading and lowering it loses or
doubles counts. A process's own tally can only be lost with the process, and
an ending process flushes it (atexit; gunicorn recycles workers gracefully).
"""

import atexit
import datetime
import ipaddress
import logging
import re
import threading
import time
import uuid
from collections import Counter

from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from ads.models import ClickWindow
from portal.lib.ratelimit import client_address

logger = logging.getLogger(__name__)

# How often a process writes the impressions it gathered to the database.
FLUSH_SECONDS = 30

_lock = threading.Lock()
_pending = Counter()  # (creative id, day) -> impressions not yet in the database
_last_flush = time.monotonic()

# A client's repeated clicks on one creative count once in this window. Half
# an hour is a visit in web analytics (Matomo and Google Analytics end one
# after 30 minutes without activity): a reader who comes back later counts
# again, while double clicks, reloads of the redirect and a script hammering
# it count once; and the hashes kept to know it are gone within the hour.
CLICK_WINDOW = datetime.timedelta(minutes=30)
# Browsers of one network counted per creative and window. A client is its
# network and its browser, so colleagues behind one office address count
# each; this stops a script that names another browser on every click.
CLICKS_PER_NETWORK = 10

# Clients that fetch pages without a person looking: crawlers, link checkers,
# previews, HTTP libraries. robots.txt keeps polite ones out of /anzeige/;
# these are the rest.
_MACHINE = re.compile(
    r"bot|crawl|spider|slurp|preview|fetch|monitor|check|scan|curl|wget|python|urllib|"
    r"httpx|aiohttp|httpclient|http-client|go-http|java/|okhttp|libwww|lwp-|axios|undici|"
    r"scrapy",
    re.IGNORECASE,
)


def counts(request):
    """Whether this request is a person's: a GET, not a prefetch, from a browser, not a robot.

    Every browser's User-Agent begins with "Mozilla/"; HTTP libraries and
    scripts send their own name or nothing at all.
    """
    if request.method != "GET":
        return False
    purpose = request.headers.get("Sec-Purpose", "") + request.headers.get("Purpose", "")
    if "prefetch" in purpose or "prerender" in purpose:
        return False
    agent = request.headers.get("User-Agent", "").strip()
    return agent.startswith("Mozilla/") and not _MACHINE.search(agent)


def client_network(address):
    """The network a client address stands for: an IPv4 address itself, IPv6 per /64.

    One IPv6 connection gets a /64 and picks the last 64 bits at will (and
    anew every day, for privacy), so each address in it is the same client.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def click_keys(request, creative_id):
    """(client, network) of a click on a creative, as keyed hashes for ClickWindow.

    The key is the site's secret, so the stored values cannot be turned back
    into addresses by trying them all.
    """
    network = client_network(client_address(request))
    browser = " ".join(request.headers.get("User-Agent", "").split())
    return _hashed(creative_id, network, browser), _hashed(creative_id, network)


def _hashed(*parts):
    value = "\n".join(str(part) for part in parts)
    digest = salted_hmac("ads.click", value, algorithm="sha256").digest()
    return uuid.UUID(bytes=digest[:16])


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
        close_click_windows()
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


def count_click(creative_id, client, network):
    """Count a click unless this client's was counted in the window; True if counted.

    ``client`` and ``network`` come from click_keys(). One statement notes
    the client, counts its network and adds to today's row. Concurrent clicks
    of one client, in any process on any server, meet at the database's
    unique key: each waits for the other's row and sees it, so one counts.
    The network's counter is updated the same way, so its cap holds too.
    """
    window = CLICK_WINDOW
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH client AS ("
            " INSERT INTO ads_clickwindow AS w (key, opened_at, clicks) VALUES (%s, now(), 1)"
            " ON CONFLICT (key) DO UPDATE SET opened_at = EXCLUDED.opened_at"
            " WHERE w.opened_at <= EXCLUDED.opened_at - %s"
            " RETURNING 1"
            "), network AS ("
            " INSERT INTO ads_clickwindow AS w (key, opened_at, clicks)"
            " SELECT %s, now(), 1 FROM client"
            " ON CONFLICT (key) DO UPDATE SET"
            " opened_at = CASE WHEN w.opened_at <= EXCLUDED.opened_at - %s"
            " THEN EXCLUDED.opened_at ELSE w.opened_at END,"
            " clicks = CASE WHEN w.opened_at <= EXCLUDED.opened_at - %s"
            " THEN 1 ELSE w.clicks + 1 END"
            " RETURNING clicks"
            ") "
            "INSERT INTO ads_adday (creative_id, day, impressions, clicks)"
            " SELECT c.id, %s::date, 0, 1 FROM network, ads_creative c"
            " WHERE network.clicks <= %s AND c.id = %s"
            " ON CONFLICT (creative_id, day) DO UPDATE SET clicks = ads_adday.clicks + 1"
            " RETURNING 1",
            [
                client,
                window,
                network,
                window,
                window,
                timezone.localdate(),
                CLICKS_PER_NETWORK,
                creative_id,
            ],  # fmt: skip
        )
        return cursor.fetchone() is not None


def close_click_windows():
    """Delete the click windows that have closed: they decide nothing any more."""
    return ClickWindow.objects.filter(opened_at__lte=timezone.now() - CLICK_WINDOW).delete()[0]


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
