"""The newsroom's periodic tasks."""

import datetime

from django.db import connection

from articles.autosave import Autosave
from portal.lib import tasks
from portal.lib.tasks import task


@tasks.every(datetime.timedelta(minutes=5))
@tasks.named("Neue Suchwörter übernehmen")
@task()
def merge_search_words():
    """Move the words articles brought since the last time into the vocabulary; return how many.

    In one statement: what a save adds meanwhile is not seen by its DELETE and
    waits for the next time. Words go in sorted, the only writer of the table.
    """
    with connection.cursor() as cursor:
        cursor.execute(_MERGE)
        return cursor.rowcount


_MERGE = """
WITH moved AS (DELETE FROM articles_searchword_new RETURNING lexeme)
INSERT INTO articles_searchword (lexeme)
SELECT DISTINCT lexeme FROM moved ORDER BY lexeme
ON CONFLICT DO NOTHING
"""


@tasks.every(datetime.timedelta(days=1))
@tasks.named("Alte Zwischenstände des Artikelformulars löschen")
@task()
def purge_autosaves():
    """Forget autosaves nobody came back to within autosave.KEEP_DAYS; return how many."""
    return Autosave.purge()
