"""Limits for public forms and the admin login, per client and per e-mail address or user name.

The counts live in PostgreSQL, so every app process on every machine shares
them whatever the cache is: with the local-memory cache (no REDIS_URL) each
gunicorn worker would otherwise count alone and a limit of 5 would allow 5
per worker, and a Redis that is down would switch every limit off. A count
is one statement (an upsert, with both keys of a form in one round trip) on
an UNLOGGED table: no WAL, no fsync at commit; about a millisecond measured
on a busy two-core machine, against the page's ten or more.
The price of UNLOGGED: a PostgreSQL crash (not a restart) empties the
counts, which only gives a guesser a fresh window.

What is counted is normalised as a person or a network, not as typed: an
e-mail address without case and ``+tag``, a user name as authentication
reads it, an IPv6 client by its /64 (one household's or one server's
share; a guesser has billions of addresses inside it).
"""

import hashlib
import hmac
import ipaddress
import unicodedata

from django.conf import settings
from django.db import connection, migrations

# scope: (how many, per how many seconds). Cancelling must stay easy: its
# limits only stop floods, never a person trying again.
LIMITS = {
    "order": (5, 3600),
    "login": (5, 3600),
    "cancel": (20, 3600),
    "withdraw": (20, 3600),
    "newsletter": (5, 3600),
    "email": (5, 3600),
}

TABLE = "portal_rate_counts"

# Constants of this module only: nothing from a request.
_SETUP = f"""
CREATE UNLOGGED TABLE IF NOT EXISTS {TABLE} (
    name text PRIMARY KEY,
    hits integer NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS {TABLE}_expires_idx ON {TABLE} (expires_at);
"""

# One more on each counter, restarting those whose window has passed. Each
# call also removes up to four expired counters of others (never its own:
# one statement must not touch a row twice), twice what it can add, so the
# table stays as small as the traffic of one window. Names sorted: two requests counting the same
# pair lock the rows in the same order.
_HIT = f"""
WITH purged AS (
    DELETE FROM {TABLE} WHERE name IN (
        SELECT name FROM {TABLE}
        WHERE expires_at < now() AND NOT name = ANY(%(names)s)
        ORDER BY expires_at LIMIT 4 FOR UPDATE SKIP LOCKED
    )
)
INSERT INTO {TABLE} AS c (name, hits, expires_at)
SELECT name, 1, now() + make_interval(secs => %(seconds)s)
FROM (SELECT DISTINCT unnest(%(names)s::text[]) AS name) AS names ORDER BY name
ON CONFLICT (name) DO UPDATE SET
    hits = CASE WHEN c.expires_at <= now() THEN 1 ELSE c.hits + 1 END,
    expires_at = CASE WHEN c.expires_at <= now() THEN EXCLUDED.expires_at ELSE c.expires_at END
RETURNING name, hits
"""  # noqa: S608


def setup():
    """A migration operation: the counters' table, where still missing."""
    return migrations.RunSQL(_SETUP, f"DROP TABLE IF EXISTS {TABLE};")


def client_address(request):
    """The reader's address: behind our proxy, the one it appended to X-Forwarded-For.

    Only the last entry is the proxy's own observation; earlier ones come from
    the client and could be anything. Without this every reader behind the
    proxy would share one address, and one limit.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last[:45]
    return request.META.get("REMOTE_ADDR", "")


def normal(value):
    """``value`` as the limits count it: a client per network, an address per mailbox.

    IPv6 clients by their /64 (an IPv4 address inside IPv6 as itself); an
    e-mail address without case and ``+tag``, after NFKC (a full-width
    domain reaches the same mailbox: IDNA maps it so); anything else (a
    customer number) without case.
    """
    value = unicodedata.normalize("NFKC", value).strip().casefold()
    try:
        ip = ipaddress.ip_address(value)
    except ValueError:
        ip = None
    if ip is not None:
        if ip.version == 6 and ip.ipv4_mapped is None:
            return str(ipaddress.IPv6Network((ip, 64), strict=False))
        return str(getattr(ip, "ipv4_mapped", None) or ip)
    local, at, domain = value.rpartition("@")
    if at:
        return f"{local.split('+', 1)[0]}@{domain}"
    return value


def exceeded(scope, *keys):
    """Count one attempt for each key (a client address, an e-mail address); True if one is over.

    The keys are normalised (``normal``) before they are counted.
    """
    limit, seconds = LIMITS[scope]
    names = [counter(scope, normal(key)) for key in keys if key and key.strip()]
    return any(hits > limit for hits in hit(seconds, *names).values())


def counter(scope, *parts):
    """The name of the counter of ``parts``: no address is kept in clear.

    Keyed with SECRET_KEY: the counts are in the database and its backups, and
    a plain hash of an IPv4 address or a known e-mail address is found by trying.
    """
    message = f"{scope}:{'|'.join(parts)}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}"


def hit(seconds, *names):
    """One more on each counter in ``names`` (one statement); {name: its count now}.

    A counter lives ``seconds`` from its first count in the window.
    """
    if not names:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_HIT, {"names": list(names), "seconds": seconds})
        return dict(cursor.fetchall())


def count(name, seconds):
    """One more on the counter ``name``; its count now."""
    return hit(seconds, name)[name]


def take_back(*names):
    """One less on each counter in ``names`` (an attempt that turned out not to count)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET hits = hits - 1 WHERE name = ANY(%s) AND hits > 0",  # noqa: S608
            [list(names)],
        )


def forget(*names):
    """The counters in ``names`` start again from nothing."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE name = ANY(%s)", [list(names)])  # noqa: S608
