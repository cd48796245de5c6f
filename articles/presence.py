"""Who else has an article's form open: each open form says so every ~20 s.

Kept in PostgreSQL like the rate limits (portal.lib.ratelimit), not in the
cache: with the local-memory cache (no REDIS_URL) each app process would see
only the editors whose requests it happened to serve, and a Redis that is
down would say nobody is there. One row per open form (a browser tab), in an
UNLOGGED table: no WAL, no fsync; a crash empties it, and the next pings
fill it again within 20 seconds.
"""

import datetime

from django.db import connection, migrations

TABLE = "articles_presence"
# Someone not heard from for this long has closed the form (or lost the network).
SEEN_WITHIN = datetime.timedelta(minutes=1)
# Rows older than this are removed by the next announcement of anyone.
KEPT = datetime.timedelta(minutes=10)

_SETUP = f"""
CREATE UNLOGGED TABLE IF NOT EXISTS {TABLE} (
    article_id bigint NOT NULL,
    tab text NOT NULL,
    user_id bigint NOT NULL,
    since timestamptz NOT NULL,
    seen_at timestamptz NOT NULL,
    gone boolean NOT NULL DEFAULT false,
    PRIMARY KEY (article_id, tab)
);
CREATE INDEX IF NOT EXISTS {TABLE}_seen_idx ON {TABLE} (seen_at);
"""

# The form is still open: seen now, open since its first announcement (a
# reload or a save in the same tab within the minute keeps that). Up to
# four stale rows of others go with it, so the table stays as small as the
# number of open forms.
_ANNOUNCE = f"""
WITH purged AS (
    DELETE FROM {TABLE} WHERE (article_id, tab) IN (
        SELECT article_id, tab FROM {TABLE}
        WHERE seen_at < now() - %(kept)s AND NOT (article_id = %(article)s AND tab = %(tab)s)
        ORDER BY seen_at LIMIT 4 FOR UPDATE SKIP LOCKED
    )
)
INSERT INTO {TABLE} AS p (article_id, tab, user_id, since, seen_at, gone)
VALUES (%(article)s, %(tab)s, %(user)s, now(), now(), false)
ON CONFLICT (article_id, tab) DO UPDATE SET
    seen_at = now(),
    gone = false,
    since = CASE WHEN p.user_id = EXCLUDED.user_id AND p.seen_at >= now() - %(within)s
                 THEN p.since ELSE now() END,
    user_id = EXCLUDED.user_id
"""  # noqa: S608

# Everyone else seen within the minute, each person once, since their earliest open form.
_OTHERS = f"""
SELECT user_id, min(since) FROM {TABLE}
WHERE article_id = %(article)s AND user_id <> %(user)s AND NOT gone
  AND seen_at >= now() - %(within)s
GROUP BY user_id ORDER BY min(since), user_id
"""  # noqa: S608


def setup():
    """A migration operation: the table of open forms, where still missing."""
    return migrations.RunSQL(_SETUP, f"DROP TABLE IF EXISTS {TABLE};")


def announce(article_id, user_id, tab):
    """``user_id`` has the form of ``article_id`` open in the browser tab ``tab``."""
    with connection.cursor() as cursor:
        cursor.execute(
            _ANNOUNCE,
            {
                "article": article_id,
                "tab": tab[:64],
                "user": user_id,
                "within": SEEN_WITHIN,
                "kept": KEPT,
            },
        )


def leave(article_id, user_id, tab):
    """The tab was closed or left: gone for the others at once, not only after a minute.

    The row stays a little: the same tab back within the minute (a reload, the
    form again after saving) is still open since the first time.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET gone = true WHERE article_id = %s AND tab = %s AND user_id = %s",  # noqa: S608
            [article_id, tab[:64], user_id],
        )


def others(article_id, user_id):
    """[(user_id, open since)] of the others with the form open, the longest-open first."""
    with connection.cursor() as cursor:
        cursor.execute(_OTHERS, {"article": article_id, "user": user_id, "within": SEEN_WITHIN})
        return cursor.fetchall()
