"""Background work: tasks committed with their work, a clock, lost workers' tasks taken back,
two workers that never send a mail twice or lose one, visible in the admin and /healthz/."""

import collections
import datetime
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal.lib import tasks
from portal.tasks import prune_task_results
from subscriptions import mail, newsletter
from subscriptions.models import NewsletterConsent, NewsletterIssue, OutgoingMail
from tests.conftest import logged_in
from tests.factories import make_subscriber, queue_login_mail
from tests.services import child_env
from tests.smtpsink import SmtpSink

pytestmark = pytest.mark.django_db
BASE = Path(__file__).resolve().parent.parent.parent


def test_a_task_is_committed_with_its_mail_or_not_at_all(task_queue):
    subscriber = make_subscriber()

    with transaction.atomic():
        queue_login_mail(subscriber)
        transaction.set_rollback(True)
    assert not DBTaskResult.objects.exists()

    queued = queue_login_mail(subscriber)

    [delivery] = task_queue.waiting()
    assert delivery.task_path == "subscriptions.mail.deliver_mail"
    assert delivery.args_kwargs == {"args": [queued.pk], "kwargs": {}}


def test_the_clock_enqueues_each_periodic_task_once_per_interval(task_queue):
    now = timezone.now()

    first = tasks.tick(now)
    again = tasks.tick(now + datetime.timedelta(minutes=1))
    later = tasks.tick(now + datetime.timedelta(hours=1, seconds=1))

    assert set(first) == {
        "subscriptions.mail.sweep_outbox",
        "subscriptions.retention.purge_personal_data",
        "articles.tasks.merge_search_words",
        "articles.tasks.purge_autosaves",
        "portal.tasks.compact_topics",
        "portal.tasks.prune_task_results",
    }
    assert again == []
    assert set(later) == {
        "subscriptions.mail.sweep_outbox",
        "articles.tasks.merge_search_words",
        "portal.tasks.prune_task_results",
    }
    assert task_queue.waiting("prune_task_results").count() == 2


def claimed_by(worker_id, runs=1):
    result = DBTaskResult.objects.get(pk=prune_task_results.enqueue().id)
    for run in range(runs):
        result.claim(f"{worker_id}" if run == runs - 1 else f"{worker_id}-{run}")
    return result


def test_the_task_of_a_worker_that_is_gone_goes_back_to_the_queue(task_queue):
    lost = claimed_by("portal-weg-1234")
    # A living worker holds its lock on a connection of its own.
    alive = tasks.Worker(worker_id="portal-lebt-5678")
    alive._hold_life_lock()
    running = claimed_by(alive.worker_id)
    # Not one of ours: a worker we cannot ask is left alone.
    foreign = claimed_by("db-worker-abc")

    try:
        assert tasks.requeue_orphans() == 1
    finally:
        alive._release_life_lock()

    for result, status in [(lost, "READY"), (running, "RUNNING"), (foreign, "RUNNING")]:
        result.refresh_from_db()
        assert result.status == status
    # Once its worker is gone, the living one's task goes back too.
    assert tasks.requeue_orphans() == 1


def test_a_worker_that_lost_its_connection_takes_its_lock_again(task_queue):
    worker = tasks.Worker(worker_id="portal-neustart")
    worker._hold_life_lock()
    running = claimed_by(worker.worker_id)
    with connection.cursor() as cursor:  # as when PostgreSQL restarts
        cursor.execute(
            "SELECT pg_terminate_backend(%s)", [worker._life.connection.info.backend_pid]
        )

    try:
        worker._hold_life_lock()  # what the worker's loop does each round
        assert tasks.requeue_orphans() == 0
    finally:
        worker._release_life_lock()

    running.refresh_from_db()
    assert running.status == "RUNNING"


def test_a_task_that_killed_its_worker_three_times_fails_with_the_reason(task_queue):
    doomed = claimed_by("portal-weg", runs=tasks.MAX_RUNS)

    tasks.requeue_orphans()

    doomed.refresh_from_db()
    assert doomed.status == "FAILED"
    assert "brach 3-mal mitten in dieser Aufgabe ab" in doomed.traceback


def test_healthz_tells_how_long_the_oldest_task_has_waited(task_queue):
    assert Client().get("/healthz/").json() == {
        "database": "ok",
        "tasks": "ok",
        "oldest_task_waiting_seconds": 0,
        "cache": "ok",
    }

    prune_task_results.enqueue()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=10))
    # Waiting for a later time is not waiting for a worker.
    prune_task_results.using(run_after=timezone.now() + datetime.timedelta(hours=1)).enqueue()
    health = Client().get("/healthz/")

    assert health.status_code == 200  # the site serves; the operator is told
    assert health.json()["tasks"] == "late"
    assert 600 <= health.json()["oldest_task_waiting_seconds"] < 660


class Refusing:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise RuntimeError("Der Mail-Server ist kaputt")


@pytest.fixture
def superuser_client(django_user_model):
    return logged_in(
        django_user_model.objects.create_superuser("technik", "technik@example.org", "x" * 20)
    )


def test_staff_see_the_queue_with_the_error_and_run_a_failed_task_again(
    task_queue, superuser_client, settings, mailoutbox
):
    queued = queue_login_mail(make_subscriber())
    DBTaskResult.objects.update(task_path="subscriptions.mail.deliver_mails")
    DBTaskResult.objects.update(args_kwargs={"args": [["kein", "pk"]], "kwargs": {}})
    task_queue.run()
    [failed] = DBTaskResult.objects.filter(status="FAILED")

    listed = superuser_client.get("/admin/portal/task/?status__exact=FAILED").text

    assert "E-Mails senden (Stapel)" in listed
    assert "Fehlgeschlagen" in listed
    assert "ValueError: Field &#x27;id&#x27; expected a number but got &#x27;kein&#x27;." in listed
    DBTaskResult.objects.filter(pk=failed.pk).update(
        args_kwargs={"args": [[queued.pk]], "kwargs": {}}
    )
    response = superuser_client.post(
        "/admin/portal/task/", {"action": "retry", "_selected_action": [failed.pk]}, follow=True
    )
    assert "1 Aufgabe ist wieder eingereiht" in response.text
    task_queue.run()
    assert [m.to for m in mailoutbox] == [[queued.to]]


def test_the_newsroom_does_not_see_the_queue(task_queue, editor_client):
    assert editor_client.get("/admin/portal/task/").status_code == 403


def test_a_newsletter_issue_resumes_where_a_killed_run_stopped(task_queue, mailoutbox):
    for n in range(250):
        NewsletterConsent.objects.create(
            email=f"leser{n:03d}@example.org",
            wording="Ja",
            confirmed_at=timezone.now(),
            digest=secrets.token_hex(32),
        )
    issue = NewsletterIssue.objects.create(subject="Woche 40", body="Neu: OZG 2.0.")
    newsletter.send_issue(issue, "https://verwaltung-digital.example")
    # A first run wrote one batch, then its worker died (its transaction for the
    # second batch rolled back); the task runs again from the start.
    first_batch = sorted(NewsletterConsent.objects.values_list("email", flat=True))[: mail.BATCH]
    NewsletterIssue.objects.filter(pk=issue.pk).update(
        queued_through=first_batch[-1], recipients=mail.BATCH
    )
    for email in first_batch:
        mail.queue(
            email,
            purpose="newsletter",
            template="newsletter_issue",
            context={"issue": issue, "unsubscribe_url": "x"},
            send_now=False,
            issue=issue,
        )

    task_queue.run()

    issue.refresh_from_db()
    assert issue.recipients == 250 and issue.queued_at is not None
    assert OutgoingMail.objects.filter(issue=issue).count() == 250
    # The first batch's mails had lost their delivery task too: the sweep finds them.
    assert len(mailoutbox) == 150
    OutgoingMail.objects.filter(state="queued").update(
        next_attempt_at=timezone.now() - mail.LOST_AFTER
    )
    mail.sweep_outbox.enqueue()
    task_queue.run()
    counts = collections.Counter(m.to[0] for m in mailoutbox)
    assert len(counts) == 250 and set(counts.values()) == {1}


# Two worker processes on the suite's database, one killed in the middle of sending.


def start_worker(sink, name):
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.2", "--worker-id", name],
        cwd=BASE,
        env=child_env(EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(sink.port), EMAIL_TIMEOUT="30"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition, timeout=90):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_two_workers_send_each_mail_once_though_one_is_killed_mid_send(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    addresses = [f"leserin{n:03d}@example.org" for n in range(400)]
    NewsletterConsent.objects.bulk_create(
        NewsletterConsent(
            email=email, wording="Ja", confirmed_at=timezone.now(), digest=secrets.token_hex(32)
        )
        for email in addresses
    )
    issue = NewsletterIssue.objects.create(subject="Woche 41", body="Die E-Akte kommt.")
    sink = SmtpSink().start()
    first, second = start_worker(sink, "eins"), start_worker(sink, "zwei")
    try:
        newsletter.send_issue(issue, "https://verwaltung-digital.example")
        wait_for(lambda: sink.received >= 120)
        # Both are now in the middle of a mail: the server holds them at DATA.
        sink.hold()
        wait_for(lambda: sink.waiting == 2)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        sink.release()

        sent = OutgoingMail.objects.filter(issue=issue, state=OutgoingMail.State.SENT)
        wait_for(lambda: sent.count() == 400)
        wait_for(lambda: not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists())
    finally:
        for worker in (first, second):
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
        errors = second.communicate(timeout=30)[1]
        sink.shutdown()

    assert second.returncode == 0, errors
    delivered = collections.Counter(to for recipients in sink.delivered for to in recipients)
    assert sorted(delivered) == addresses  # none lost
    assert set(delivered.values()) == {1}  # none twice
    # The killed worker's batch was taken back and finished by the other.
    runs = collections.Counter(
        tuple(ids) for ids in DBTaskResult.objects.values_list("worker_ids", flat=True)
    )
    assert runs[("portal-eins", "portal-zwei")] == 1
    assert {ids for ids in runs if len(ids) > 1} == {("portal-eins", "portal-zwei")}
