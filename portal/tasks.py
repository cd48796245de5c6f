"""The portal's periodic tasks: housekeeping of the page cache's counters and of the queue."""

import datetime

from django.utils import timezone

from portal.lib import topics
from portal.lib.tasks import TaskResultStatus, every, named, task

# Finished tasks stay this long in the admin's list; failed ones longer, to be looked into.
KEEP_FINISHED = datetime.timedelta(days=7)
KEEP_FAILED = datetime.timedelta(days=30)


@every(datetime.timedelta(days=1))
@named("Zähler des Seiten-Caches zusammenfassen")
@task()
def compact_topics():
    """Fold the counter rows of ended connections (manage.py compact_topics does the same)."""
    before, after = topics.compact()
    return {"before": before, "after": after}


@every(datetime.timedelta(hours=1))
@named("Alte Hintergrundaufgaben löschen")
@task()
def prune_task_results():
    """Forget finished tasks after a week and failed ones after a month; return how many."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    deleted, _ = (
        DBTaskResult.objects.filter(
            status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - KEEP_FINISHED
        )
        | DBTaskResult.objects.filter(
            status=TaskResultStatus.FAILED, finished_at__lt=now - KEEP_FAILED
        )
    ).delete()
    return deleted
