"""Work done later: Django's task framework, its clock, and the worker that runs both.

Every piece of background work is a task (``@task()`` from the framework:
``django.tasks`` in Django 6.0, the ``django-tasks`` backport with the same
API on our 5.2). The queue lives in PostgreSQL (``django-tasks-db``): nothing
new to run, and a task enqueued inside a transaction is committed, or rolled
back, with the work that asked for it (enqueue()).

The worker (``manage.py worker``, ``make worker``) adds what the backend
leaves out:

- **Lost workers.** A worker that dies mid-task (SIGKILL, the machine gone)
  leaves its task "running" for ever in the backend. Each of our workers
  holds a PostgreSQL advisory lock named after its id on a connection of its
  own for as long as it lives; PostgreSQL drops the lock when the connection
  dies. Any worker that can take a running task's lock knows its worker is
  gone and puts the task back in the queue (up to MAX_RUNS runs, then it
  fails with the reason). No heartbeats, no timeouts to tune.
- **The clock.** Periodic work is declared once in code (every()); a row per
  entry in ``portal_clock`` says when it is next due. Whichever worker locks a
  due row enqueues the task and moves the row on, in one transaction: with
  any number of workers on any number of machines each run is enqueued once.

Tasks must tolerate running twice (a worker killed after its work committed
but before the backend noted it): ours lock what they work on and skip what
is done (see subscriptions.mail.deliver).
"""

import contextlib
import datetime
import functools
import logging
import os
import signal
import socket
import threading
import time

from django.conf import settings
from django.db import (
    DatabaseError,
    close_old_connections,
    connection,
    connections,
    migrations,
    transaction,
)
from django.utils import timezone
from django.utils.crypto import get_random_string

try:  # Django 6.0
    from django.tasks import TaskResultStatus, task, task_backends
except ImportError:  # Django 5.2: the backport, same API
    from django_tasks import TaskResultStatus, task, task_backends

__all__ = ["task", "named", "enqueue", "enqueue_at", "every", "oldest_waiting", "Worker"]

logger = logging.getLogger(__name__)

CLOCK_TABLE = "portal_clock"
# One class of advisory locks for workers' lives (the second key is the id's hash).
WORKER_LOCK_CLASS = 4711
WORKER_PREFIX = "portal-"
# How often a worker looks for lost workers' tasks, and asks the clock (seconds).
ORPHAN_SECONDS = 2
CLOCK_SECONDS = 15
# A task whose worker died this many times fails instead of killing another.
MAX_RUNS = 3

_SETUP = f"""
CREATE TABLE IF NOT EXISTS {CLOCK_TABLE} (
    name text PRIMARY KEY,
    due_at timestamptz NOT NULL
);
"""


# Constants of this module only: nothing from a request.
_ENTER = f"INSERT INTO {CLOCK_TABLE} (name, due_at) VALUES (%s, %s) ON CONFLICT DO NOTHING"  # noqa: S608
_DUE = f"SELECT 1 FROM {CLOCK_TABLE} WHERE name = %s AND due_at <= %s FOR UPDATE SKIP LOCKED"  # noqa: S608
_MOVE = f"UPDATE {CLOCK_TABLE} SET due_at = %s WHERE name = %s"  # noqa: S608


def setup():
    """The clock's table, for a migration."""
    return migrations.RunSQL(_SETUP, f"DROP TABLE IF EXISTS {CLOCK_TABLE}")


def _in_database(backend):
    return type(backend).__module__.startswith("django_tasks_db")


def enqueue(a_task, *args, after_commit=None, **kwargs):
    """Run ``a_task(*args, **kwargs)`` once the current transaction has committed.

    With the database backend the task is a row written in this very
    transaction: committed with the work that asked for it, rolled back with
    it, and never lost in between. Other backends are asked after the commit,
    by ``after_commit(job)`` where given (subscriptions.mail.after_answer:
    after a request's answer).
    """
    if _in_database(a_task.get_backend()):
        return a_task.enqueue(*args, **kwargs)
    job = functools.partial(a_task.enqueue, *args, **kwargs)
    transaction.on_commit(functools.partial(after_commit, job) if after_commit else job)
    return None


def enqueue_at(a_task, when, *args, **kwargs):
    """Like enqueue(), but not before ``when``.

    A backend that cannot wait (the tests' immediate one) is not asked: the
    clock's sweeps find the work when it is due (subscriptions.tasks.sweep_outbox).
    """
    if a_task.get_backend().supports_defer:
        return enqueue(a_task.using(run_after=when), *args, **kwargs)
    return None  # the immediate backend: sweep_outbox and the like find it when due


# What the admin calls each task: module path -> German name. Filled by named().
NAMES = {}


def named(label):
    """Give a task its German name for the back office's list of tasks."""

    def register(a_task):
        NAMES[a_task.module_path] = label
        return a_task

    return register


# The clock: name -> (task, interval). Filled by every(), at import of the tasks modules.
SCHEDULE = {}


def every(interval):
    """Declare a task periodic: the worker enqueues it once per ``interval`` (a timedelta)."""

    def register(a_task):
        SCHEDULE[a_task.module_path] = (a_task, interval)
        return a_task

    return register


def tick(now=None):
    """Enqueue what the clock says is due; return the names enqueued.

    One transaction per entry: the row is locked (others skip it), the task
    enqueued and the row moved on together, so two workers never both enqueue it.
    """
    now = now or timezone.now()
    started = []
    with connection.cursor() as cursor:
        cursor.executemany(_ENTER, [(name, now) for name in SCHEDULE])
    for name, (a_task, interval) in SCHEDULE.items():
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(_DUE, [name, now])
                if cursor.fetchone() is None:
                    continue
                cursor.execute(_MOVE, [now + interval, name])
            a_task.enqueue()
            started.append(name)
    return started


def oldest_waiting():
    """Seconds the longest-waiting due task has waited (0 if none): a stopped worker shows here.

    None where the queue is not in the database (Redis has its own tools; the
    immediate backend has no queue).
    """
    backend = task_backends["default"]
    if not _in_database(backend):
        return None
    from django_tasks_db.models import DBTaskResult, get_date_max

    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT extract(epoch FROM now() - min(
                    CASE WHEN run_after = %s THEN enqueued_at ELSE run_after END))
                FROM {DBTaskResult._meta.db_table}
                WHERE status = %s AND (run_after = %s OR run_after <= now())""",  # noqa: S608
            [get_date_max(), TaskResultStatus.READY, get_date_max()],
        )
        (seconds,) = cursor.fetchone()
    return max(0, round(seconds or 0))


def requeue_orphans():
    """Put back the running tasks whose worker is gone; return how many.

    A worker is gone when its advisory lock can be taken: PostgreSQL released
    it with the worker's connection. The row lock (SKIP LOCKED) keeps two
    workers from putting back the same task.
    """
    from django_tasks_db.models import DBTaskResult

    put_back = 0
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values_list(
        "pk", flat=True
    )
    for pk in list(running[:1000]):
        with transaction.atomic():
            result = (
                DBTaskResult.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=TaskResultStatus.RUNNING)
                .first()
            )
            if result is None or not result.worker_ids:
                continue
            worker = result.worker_ids[-1]
            if not worker.startswith(WORKER_PREFIX) or _alive(worker):
                continue
            if len(result.worker_ids) >= MAX_RUNS:
                result.status = TaskResultStatus.FAILED
                result.finished_at = timezone.now()
                result.exception_class_path = "portal.lib.tasks.WorkerLost"
                result.traceback = (
                    f"Der Worker brach {len(result.worker_ids)}-mal mitten in dieser Aufgabe ab "
                    f"(zuletzt {worker}); sie wird nicht mehr von selbst wiederholt."
                )
                result.save(
                    update_fields=["status", "finished_at", "exception_class_path", "traceback"]
                )
                logger.error("Task %s failed: its worker died %d times", pk, MAX_RUNS)
            else:
                result.status = TaskResultStatus.READY
                result.started_at = None
                result.save(update_fields=["status", "started_at"])
                logger.warning("Task %s put back: worker %s is gone", pk, worker)
                put_back += 1
    return put_back


def _alive(worker_id):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_try_advisory_xact_lock(%s, hashtext(%s))", [WORKER_LOCK_CLASS, worker_id]
        )
        (free,) = cursor.fetchone()
    return not free


def retry(result_pk):
    """A copy of a finished task, queued again (the admin's "Erneut ausführen")."""
    from django_tasks_db.models import DBTaskResult

    old = DBTaskResult.objects.get(pk=result_pk)
    return enqueue(old.task, *old.args_kwargs["args"], **old.args_kwargs["kwargs"])


class Worker:
    """Runs the database backend's tasks, the clock and the orphan search, until stopped.

    SIGTERM or SIGINT: the current task is finished, then the worker stops.
    ``batch``: stop as soon as nothing is due, and leave the clock to the
    workers that stay (tests, make faults).
    """

    def __init__(self, interval=1.0, batch=False, worker_id=None, queues=("default",)):
        self.interval = interval
        self.batch = batch
        self.queues = list(queues)
        self.worker_id = worker_id or (
            f"{WORKER_PREFIX}{socket.gethostname()[:20]}-{os.getpid()}-{get_random_string(8)}"
        )
        self.running = True
        self.done = 0
        self._life = None

    def stop(self, signum=None, frame=None):
        self.running = False

    def run(self):
        from django_tasks_db.management.commands.db_worker import Worker as DBWorker

        backend = task_backends["default"]
        if not _in_database(backend):
            raise RuntimeError(
                f"The worker runs the database backend's tasks; PORTAL_TASKS is "
                f"{settings.TASKS_BACKEND_NAME!r}"
            )
        # The library's worker runs a claimed task and records its outcome.
        runner = DBWorker(
            queue_names=self.queues, interval=self.interval, batch=True,
            backend_name=backend.alias, startup_delay=False, max_tasks=None,
            worker_id=self.worker_id, excluded_queue_names=[],
        )  # fmt: skip
        logger.info("Worker %s started", self.worker_id)
        last_orphans = last_tick = 0.0
        try:
            while self.running:
                if not connection.in_atomic_block:  # (a test's transaction stays open)
                    close_old_connections()
                try:
                    # Without its lock others would take this worker's tasks for lost.
                    self._hold_life_lock()
                    # Chores at their own pace, not every round: an idle worker
                    # otherwise asked the database eight times a second.
                    if time.monotonic() - last_orphans >= max(self.interval, ORPHAN_SECONDS):
                        requeue_orphans()
                        last_orphans = time.monotonic()
                    if not self.batch and time.monotonic() - last_tick >= CLOCK_SECONDS:
                        tick()  # the clock is for workers that stay, not a batch run
                        last_tick = time.monotonic()
                    claimed = self.claim(backend.alias)
                except DatabaseError as error:  # PostgreSQL restarting: wait, then go on
                    logger.warning("Worker %s waits for the database: %s", self.worker_id, error)
                    self._release_life_lock()
                    time.sleep(max(self.interval, 1.0))
                    continue
                if claimed is not None:
                    runner.run_task(claimed)
                    self.done += 1
                    continue
                if self.batch:
                    return self.done
                time.sleep(self.interval)
        finally:
            self._release_life_lock()
        return self.done

    def claim(self, alias):
        from django_tasks_db.models import DBTaskResult

        with transaction.atomic():
            result = (
                DBTaskResult.objects.ready()
                .filter(backend_name=alias, queue_name__in=self.queues)
                .get_locked()
            )
            if result is not None:
                result.claim(self.worker_id)
        return result

    def _hold_life_lock(self):
        """A connection of our own, holding our advisory lock while this process lives.

        Taken again after the connection was lost (PostgreSQL restarted):
        between the two, another worker may put back the task this one is
        running; tasks tolerate running twice (see the module's note).
        """
        if self._life is not None and self._life.is_usable():
            return
        self._release_life_lock()
        self._life = connections.create_connection("default")
        self._life.ensure_connection()
        self._life.set_autocommit(True)
        with self._life.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_lock(%s, hashtext(%s))", [WORKER_LOCK_CLASS, self.worker_id]
            )

    def _release_life_lock(self):
        if self._life is not None:
            with contextlib.suppress(DatabaseError):
                self._life.close()
            self._life = None


@contextlib.contextmanager
def signals_stop(worker):
    """SIGTERM/SIGINT finish the current task, then stop; a second one stops at once."""

    def graceful(signum, frame):
        if not worker.running:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
        worker.stop()

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {
        number: signal.signal(number, graceful) for number in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)


def delay(attempt, minutes):
    """The pause before retry ``attempt`` (1-based) from a list of minutes, the last repeating."""
    return datetime.timedelta(minutes=minutes[min(attempt, len(minutes)) - 1])
