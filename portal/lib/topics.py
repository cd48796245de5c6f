"""Topics: named counters that say when what a page shows has changed.

A **topic** names something readers see: ``article:17`` (one article's
page), ``section:politik`` (a section's list), ``front`` (what the newest
articles make: home, "Aktuelle Meldungen", feeds), ``ads`` (which ad places
are occupied). Its **version** is a number that grows with every committed
change to it, the same in every process and on every machine, read for
all the topics of a page in one query. A page or fragment cached under the
versions of its topics is therefore never stale, and a change renews only
what shows it.

Changes are counted by the database, not by the code that makes them, so a
queryset ``update()``, an import or a fix in psql counts too: each app's
migration attaches row triggers to its tables (``topic_trigger``) whose
function knows which topics a row belongs to and calls
``portal_touch(topics)``. Each database connection counts in rows of its
own (topic, backend), so two editors' transactions never wait for each
other here and no lock order can deadlock; a topic's version is the sum
over its rows and becomes visible exactly when the change commits.

Some changes come with time and no write: a scheduled article reaching its
publication time, a campaign starting or ending. The trigger notes them in
advance with ``portal_touch_at(topics, moment)``; from that moment on they
count like a write. ``compact()`` folds the rows of ended connections and
of moments passed into one row per topic, with the same sum.
"""

import secrets
from contextlib import contextmanager

from django.db import connection, migrations, transaction

WRITES = "portal_topic_writes"
DUE = "portal_topic_due"

# Constants of this module only: nothing from a request.
_SETUP = f"""
CREATE TABLE IF NOT EXISTS {WRITES} (
    topic text NOT NULL,
    backend integer NOT NULL,
    writes bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (topic, backend)
);
ALTER TABLE {WRITES} ADD COLUMN IF NOT EXISTS stamp timestamptz;
CREATE TABLE IF NOT EXISTS {DUE} (
    topic text NOT NULL,
    due timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS {DUE}_idx ON {DUE} (topic, due);
-- A topic is counted once per statement: readers only look between
-- statements. Counting every row would update one row ("articles") once
-- per article of an import; within a transaction those versions cannot be
-- pruned, each update walks all earlier ones, and an import of 10,000
-- articles took minutes instead of a second. ``stamp`` (when the client's
-- statement began) marks the row this backend's statement already counted.
-- (PL/pgSQL, not SQL: an SQL function's INSERT is planned again on every call.)
CREATE OR REPLACE FUNCTION portal_touch(topics text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {WRITES} (topic, backend, writes, stamp)
    SELECT DISTINCT t.topic, pg_backend_pid(), 1, statement_timestamp()
    FROM unnest(topics) AS t(topic)
    WHERE t.topic IS NOT NULL AND NOT EXISTS (
        SELECT FROM {WRITES} w
        WHERE w.topic = t.topic AND w.backend = pg_backend_pid()
          AND w.stamp = statement_timestamp()
    )
    ON CONFLICT (topic, backend)
    DO UPDATE SET writes = {WRITES}.writes + 1, stamp = EXCLUDED.stamp;
END $$;
CREATE OR REPLACE FUNCTION portal_touch_at(topics text[], moment timestamptz)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO {DUE} (topic, due)
    SELECT DISTINCT topic, moment FROM unnest(topics) AS topic
    WHERE topic IS NOT NULL AND moment IS NOT NULL AND moment > now();
$$;
"""  # noqa: S608

# The versions of a list of topics at a moment, in the order asked; every
# one moves with the topic "*" (renew_all).
_VERSIONS = f"""
SELECT COALESCE((SELECT SUM(w.writes) FROM {WRITES} w WHERE w.topic IN (t.topic, '*')), 0)
     + (SELECT COUNT(*) FROM {DUE} d WHERE d.topic = t.topic AND d.due <= %s)
FROM unnest(%s::text[]) WITH ORDINALITY AS t(topic, position)
ORDER BY t.position
"""  # noqa: S608

# Rows of connections that have ended and moments that have passed, folded
# into backend 0 with the same sum. Nobody else writes those rows.
_COMPACT = f"""
SELECT pg_advisory_xact_lock(hashtext('{WRITES}'));
WITH ended AS (
    DELETE FROM {WRITES}
    WHERE backend <> 0 AND backend NOT IN (SELECT pid FROM pg_stat_activity WHERE pid IS NOT NULL)
    RETURNING topic, writes
), passed AS (
    DELETE FROM {DUE} WHERE due <= now() RETURNING topic, 1::bigint AS writes
), folded AS (
    SELECT topic, SUM(writes) AS writes FROM (
        SELECT * FROM ended UNION ALL SELECT * FROM passed
    ) AS rows GROUP BY topic
)
INSERT INTO {WRITES} (topic, backend, writes) SELECT topic, 0, writes FROM folded
ON CONFLICT (topic, backend) DO UPDATE SET writes = {WRITES}.writes + EXCLUDED.writes;
"""  # noqa: S608


def setup():
    """A migration operation: the tables and functions, where still missing."""
    return migrations.RunSQL(_SETUP, migrations.RunSQL.noop)


def topic_trigger(table, function, body):
    """A migration operation: ``body`` (PL/pgSQL) runs for every row written to ``table``.

    ``body`` sees ``OLD`` and ``NEW`` (NULL where there is none) and calls
    ``PERFORM portal_touch(ARRAY[...])`` for the topics the row belongs to.
    The trigger is named after ``function``, so two apps can watch one table.
    """
    forward = (
        _SETUP
        + trigger_function(function, body)
        + f"""
DROP TRIGGER IF EXISTS {function} ON {table};
CREATE TRIGGER {function} AFTER INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {function}();
"""
    )
    backward = (
        f"DROP TRIGGER IF EXISTS {function} ON {table};\nDROP FUNCTION IF EXISTS {function}();"
    )
    return migrations.RunSQL(forward, backward)


def trigger_function(function, body):
    """The SQL that (re)defines the function of a ``topic_trigger``, as to change its body."""
    return f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- In a bulk import everything is renewed once, at its end (bulk_import()).
    IF current_setting('portal.bulk_import', true) = 'on' THEN
        RETURN NULL;
    END IF;
{body}
    RETURN NULL;
END $$;
"""


@contextmanager
def bulk_import():
    """A transaction that writes thousands of rows: counted once, as a change of everything.

    The row triggers (``trigger_function``) step aside; when the block ends,
    the topic "*", which every version includes, is counted once. An import
    touches most lists anyway, and asking each row's topics costs more than
    writing the row (1,000 generated articles: 3.8 s without, 8.8 s with).
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('portal.bulk_import', 'on', true)")
        yield
        if not transaction.get_rollback():  # else nothing changed
            cursor.execute("SELECT set_config('portal.bulk_import', 'off', true)")
            cursor.execute("SELECT portal_touch(ARRAY['*'])")


def versions(topics, now):
    """The versions of ``topics`` at ``now``, in their order (one query)."""
    if not topics:
        return ()
    with connection.cursor() as cursor:
        cursor.execute(_VERSIONS, [now, list(topics)])
        return tuple(row[0] for row in cursor.fetchall())


def renew_all():
    """Change every version to one never seen, as after a restore of the database.

    A restored database counts from the backup's numbers again; caches may
    hold parts kept under the numbers it had since. The jump is random and
    large, so no version repeats one from before.
    """
    jump = secrets.randbelow(2**40) + 2**40
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {WRITES} (topic, backend, writes) VALUES ('*', 0, %s)"  # noqa: S608
            f" ON CONFLICT (topic, backend) DO UPDATE SET writes = {WRITES}.writes + %s",
            [jump, jump],
        )


def compact():
    """Fold the rows of ended connections and passed moments; no version changes.

    Returns how many rows there were before and after.
    """
    count = f"SELECT (SELECT count(*) FROM {WRITES}) + (SELECT count(*) FROM {DUE})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(count)
        before = cursor.fetchone()[0]
        cursor.execute(_COMPACT)
        cursor.execute(count)
        return before, cursor.fetchone()[0]
