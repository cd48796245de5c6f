"""The former single write counter of the page cache; kept for the migrations that built it.

Since portal 0004 the page cache counts by topic (portal.lib.topics) and
the table and function below are dropped; articles 0013-0016, ads 0002-0003
and portal 0002-0003 still call count_writes() when a database is built.

An app's migration counts writes to its tables with ``count_writes(...)``.
Any statement that writes such a table counts one up in the row of its
database connection (statement-level: a COPY of 5,000 rows counts once). A
connection runs one transaction at a time, so no two transactions ever wait
for the same row: editors' saves and imports never queue behind each other
here, and no lock order can deadlock. The sum over all rows grows with every
committed change and becomes visible exactly when the change does.

The table and the function belong to this library; each migration creates
them if they are missing, so no app's migrations depend on another's.
"""

from django.db import migrations

WRITES_TABLE = "portal_content_writes"
FUNCTION = "portal_count_content_write"

# Constants of this module only: nothing from a request.
_SETUP = f"""
CREATE TABLE IF NOT EXISTS {WRITES_TABLE} (
    backend integer PRIMARY KEY,
    writes bigint NOT NULL DEFAULT 0
);
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {WRITES_TABLE} (backend, writes) VALUES (pg_backend_pid(), 1)
    ON CONFLICT (backend) DO UPDATE SET writes = {WRITES_TABLE}.writes + 1;
    RETURN NULL;
END $$;
"""  # noqa: S608


def count_writes(*tables):
    """A migration operation: from now on, writes to ``tables`` change the content version."""
    forward = _SETUP + "".join(
        f"DROP TRIGGER IF EXISTS {table}_changed ON {table};\n"
        f"CREATE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
        f" ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}();\n"
        for table in tables
    )
    backward = "".join(f"DROP TRIGGER IF EXISTS {table}_changed ON {table};\n" for table in tables)
    return migrations.RunSQL(forward, backward)
