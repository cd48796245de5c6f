"""The outbox: mail goes out only after the commit, by a task, and what fails is tried again."""

import contextlib
import datetime
import io

import pytest
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import RequestFactory
from django.utils import timezone

from subscriptions import mail
from subscriptions.models import OutgoingMail, Plan, Subscriber, Subscription
from tests.factories import make_subscriber, queue_login_mail

pytestmark = pytest.mark.django_db


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")


def test_nothing_is_sent_for_a_transaction_that_rolls_back(
    mailoutbox, django_capture_on_commit_callbacks
):
    subscriber = make_subscriber()

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        queue_login_mail(subscriber)
        transaction.set_rollback(True)

    assert mailoutbox == []
    assert not OutgoingMail.objects.exists()


def test_mail_is_sent_after_the_commit_in_plain_text_and_html(
    mailoutbox, django_capture_on_commit_callbacks
):
    subscriber = make_subscriber(name="Erika Mustermann")

    with django_capture_on_commit_callbacks(execute=True):
        queued = queue_login_mail(subscriber)
        assert mailoutbox == []  # not before the commit

    [sent] = mailoutbox
    assert sent.subject == "Ihr Anmeldelink für die Aboverwaltung von Verwaltung Digital"
    assert sent.from_email == "Verwaltung Digital <abo@verwaltung-digital.example>"
    assert "Guten Tag Erika Mustermann," in sent.body
    assert sent.alternatives[0][1] == "text/html"
    queued.refresh_from_db()
    assert queued.state == OutgoingMail.State.SENT
    assert queued.sent_at is not None


def test_a_mail_that_keeps_failing_is_marked_failed_for_staff(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    queued = queue_login_mail(make_subscriber())

    for _ in range(mail.MAX_ATTEMPTS):
        mail.deliver(queued.pk)

    queued.refresh_from_db()
    assert queued.state == OutgoingMail.State.FAILED
    assert queued.attempts == mail.MAX_ATTEMPTS
    assert "Connection refused" in queued.last_error
    assert mail.deliver(queued.pk) == mail.Outcome(sent=False)  # staff decide now


def test_the_worker_waits_before_trying_again(settings, task_queue):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    queued = queue_login_mail(make_subscriber())

    task_queue.run()

    queued.refresh_from_db()
    assert queued.attempts == 1
    assert queued.next_attempt_at > timezone.now() + datetime.timedelta(seconds=50)
    [retry] = task_queue.waiting("deliver_mail")
    assert retry.run_after == queued.next_attempt_at
    task_queue.run()  # not due yet
    queued.refresh_from_db()
    assert queued.attempts == 1


def test_the_worker_sends_what_the_forms_queued_and_says_so(task_queue, mailoutbox):
    queue_login_mail(make_subscriber())
    queue_login_mail(make_subscriber())
    assert mailoutbox == []  # the request does not send: the worker does

    out = task_queue.run()

    assert out.splitlines()[-1].endswith(": 2 Aufgaben erledigt.")
    assert len(mailoutbox) == 2
    assert not task_queue.waiting().exists()


def test_the_demo_subscriptions_load_once():
    out = io.StringIO()

    call_command("seed_subscriptions_demo", "--if-empty", stdout=out)
    call_command("seed_subscriptions_demo", "--if-empty", stdout=out)

    assert Plan.objects.count() == 5
    erika = Subscriber.objects.get(customer_number="K-100001")
    assert erika.name == "Erika Mustermann"
    assert Subscription.objects.filter(subscriber=erika).count() == 2
    assert "Es gibt schon Angebote" in out.getvalue()


def test_after_an_outage_a_batch_waits_together_and_goes_in_one_round(
    settings, mailoutbox, task_queue
):
    pks = [queue_login_mail(make_subscriber()).pk for _ in range(mail.BATCH + 5)]
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    mail.enqueue_batches(pks)
    task_queue.waiting("deliver_mail").delete()  # the single mails' own tasks: not this test's

    task_queue.run()

    # The first refusal sends the rest of each batch to wait with it.
    attempted = OutgoingMail.objects.filter(attempts=1)
    assert attempted.count() == 2
    assert task_queue.waiting("deliver_mails").count() == 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    task_queue.time_passes()

    task_queue.run()

    assert len(mailoutbox) == mail.BATCH + 5
    assert not OutgoingMail.objects.filter(state=OutgoingMail.State.QUEUED).exists()


@contextlib.contextmanager
def wsgi_server_steps():
    """A WSGI server's request signals, without closing the test's database connection
    (as Django's test client does it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        # A response the test did not get to close: end its request all the
        # same, or later tests on this thread would hold back their mail.
        request_finished.send(sender=WSGIHandler)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def answer_without_closing(path, data):
    """What a WSGI server does up to sending the answer: the response, not yet closed."""
    environ = RequestFactory().post(path, data).environ
    request = WSGIRequest(environ)
    request._dont_enforce_csrf_checks = True
    request_started.send(sender=WSGIHandler, environ=environ)
    return WSGIHandler().get_response(request)


def test_the_answer_is_complete_before_the_mail_server_is_asked(
    mailoutbox, django_capture_on_commit_callbacks
):
    """A slow mail server does not hold up the page; the mail was committed with the answer."""
    with wsgi_server_steps():
        with django_capture_on_commit_callbacks(execute=True):  # the view's commit
            response = answer_without_closing(
                "/newsletter/", {"email": "anna@example.org", "consent": "on"}
            )
        queued = list(OutgoingMail.objects.values_list("to", "state"))
        sent_before_close = len(mailoutbox)
        response.close()  # the server has written the answer

    assert response["Location"] == "/newsletter/?angefordert=1"
    assert queued == [("anna@example.org", OutgoingMail.State.QUEUED)]
    assert sent_before_close == 0
    assert [m.to for m in mailoutbox] == [["anna@example.org"]]
    assert OutgoingMail.objects.get().state == OutgoingMail.State.SENT


def test_outside_a_request_the_mail_goes_at_once(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue_login_mail(make_subscriber())

    assert len(mailoutbox) == 1
