"""E-mail that is never lost: written to the outbox in the same transaction, sent by a task.

A declaration, an order or a sign-up, its e-mail and the task that sends it
are committed together (portal.lib.tasks.enqueue); the worker sends it
moments later and again, with growing pauses, if the mail server refused.
A mail server that is down loses nothing, and no app process waits for it.

A link that carries a secret (log in, confirm, unsubscribe, "das war ich
nicht") is never stored: the outbox keeps a placeholder where it goes and a
recipe without a secret (OutgoingMail.links); deliver() mints the link from
the recipe (link_kind) and hands it to the mail server only. Whoever reads
the outbox, the admin or a backup cannot log in or confirm anything with it,
and a link counts from its sending: a held or retried mail still works.

after_answer() leaves work until a request's answer has gone out (Django
sends request_finished when the server closes the response): the login-link
form answers as fast for an unknown address as for a subscriber's.
"""

import contextlib
import contextvars
import datetime
import logging
from typing import NamedTuple

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape

from portal.lib import tasks
from portal.lib.tasks import task
from subscriptions.models import OutgoingMail

logger = logging.getLogger(__name__)

# After this many failed attempts a mail is marked failed (and shown as such
# in the admin, where it can be sent again); the waits between them grow.
MAX_ATTEMPTS = 8
RETRY_MINUTES = [1, 5, 15, 60, 180, 360, 720]
# Mails per deliver_mails task: one connection to the mail server each.
BATCH = 100
# A queued mail this long overdue has lost its task (sweep_outbox finds it).
LOST_AFTER = datetime.timedelta(minutes=10)
SWEEP_LIMIT = 10_000

# What the outbox keeps where a link with a secret goes; deliver() puts the
# link there. Fixed German text, not translated: it is found again by it.
PLACEHOLDER = "[Link wird beim Versand eingesetzt – aus Sicherheitsgründen nicht gespeichert: {}]"

# kind -> function(recipe, mail) returning the link; see link_kind().
_minters = {}


def link_kind(kind):
    """Register the function that mints links of ``kind`` when a mail is sent.

    It gets the recipe given to queue() and the OutgoingMail and returns the
    absolute URL; it may write the link's hash (LinkToken), never the link.
    """

    def register(mint):
        _minters[kind] = mint
        return mint

    return register


def placeholder(slot):
    """What the stored mail holds instead of the link ``slot``, in text, HTML and headers."""
    return PLACEHOLDER.format(slot)


def queue(
    to,
    *,
    purpose,
    template,
    context,
    headers=None,
    send_now=True,
    held=False,
    issue=None,
    attachments=(),
    links=None,
):
    """Write the mail to ``to`` from ``<template>.txt`` and ``.html``; a task sends it.

    ``purpose`` is what the outbox lists it under. The first line of the text
    template is the subject. ``send_now=False`` leaves the sending to the
    caller, who enqueues deliver_mails for a batch (the newsletter).
    ``held=True`` keeps it in the outbox until staff release it (release()):
    what a form sent beyond its rate limit would otherwise mail to any
    address, a flood of them. ``issue``: the newsletter issue it belongs to.
    ``attachments``: text files as ``(filename, text)``, kept in the outbox as sent.
    ``links``: ``{slot: recipe}`` for each link that carries a secret; the
    templates get placeholder(slot) as ``slot`` (as do headers that name it),
    and the link is minted from the recipe (a dict with ``kind``, registered
    by link_kind(), and what it needs: ids, the site's base URL) when sent.
    """
    links = links or {}
    context = {
        "portal_name": settings.PORTAL_NAME,
        **context,
        **{slot: placeholder(slot) for slot in links},
    }
    text = render_to_string(f"subscriptions/mail/{template}.txt", context).strip()
    subject, _blank, body = text.partition("\n")
    mail = OutgoingMail.objects.create(
        purpose=purpose,
        to=to,
        subject=subject.strip(),
        body_text=body.strip() + "\n",
        body_html=render_to_string(f"subscriptions/mail/{template}.html", context),
        headers=headers or {},
        state=OutgoingMail.State.HELD if held else OutgoingMail.State.QUEUED,
        issue=issue,
        attachments=[
            {"filename": filename, "mimetype": "text/plain", "content": text}
            for filename, text in attachments
        ],
        links=links,
    )
    if send_now and not held:
        tasks.enqueue(deliver_mail, mail.pk, after_commit=after_answer)
    return mail


def queue_text(to, *, subject, text, purpose):
    """A plain mail from another app (portal.lib.outbox.queue_mail): kept and sent like ours."""
    mail = OutgoingMail.objects.create(
        purpose=purpose[:40], to=to, subject=subject[:200], body_text=text.strip() + "\n"
    )
    tasks.enqueue(deliver_mail, mail.pk, after_commit=after_answer)
    return mail


# What the current request leaves until its answer has gone out: work whose
# time must not show in the answer (declarations.settle,
# account.send_login_link) and, with a backend outside the database, asking
# it to send. None outside a request (management commands, the worker).
_after_response = contextvars.ContextVar("mail_after_response", default=None)


def after_answer(job):
    """Run ``job()`` once the answer has gone out when inside a request, otherwise at once.

    For work whose duration must not show in the answer. What it queues is
    committed then, and a mail it queues goes out at once (its request is over).
    """
    waiting = _after_response.get()
    if waiting is None:
        job()
    else:
        waiting.append(job)


def collect_during_requests():
    """Connected once, from SubscriptionsConfig.ready()."""
    request_started.connect(_collect, dispatch_uid="subscriptions.mail.collect")
    request_finished.connect(_send_collected, dispatch_uid="subscriptions.mail.send_collected")


def _collect(**kwargs):
    _after_response.set([])


def _send_collected(**kwargs):
    waiting = _after_response.get()
    _after_response.set(None)
    for job in waiting or ():
        try:
            job()
        except Exception:  # the database, say: the mail stays queued, the declaration unmatched
            # By name only: the arguments may hold an e-mail address.
            logger.exception("After the answer, %s failed", getattr(job, "func", job).__qualname__)


class Outcome(NamedTuple):
    sent: bool
    retry_at: datetime.datetime | None = None  # the server refused; try again then


def deliver(pk, connection=None):
    """Try to send one queued mail now; on failure note when to try again.

    Never raises: whoever submitted a form has their confirmation page either
    way. The mail's row stays locked while the server is asked and is marked
    sent in the same transaction: a worker killed in between leaves it
    queued, and the next attempt sends it (a duplicate only if the server had
    already taken it in that instant). A second task for the same mail finds
    it locked or sent and does nothing.
    """
    with transaction.atomic():
        mail = (
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, state=OutgoingMail.State.QUEUED)
            .first()
        )
        if mail is None:  # sent meanwhile, or another worker has it
            return Outcome(sent=False)
        try:
            _message(mail, connection).send()
        except Exception as error:  # SMTP, DNS, TLS: whatever it is, try again later
            logger.warning("Mail %s not sent: %s", pk, error)
            attempts = mail.attempts + 1
            failed = attempts >= MAX_ATTEMPTS
            retry_at = timezone.now() + tasks.delay(attempts, RETRY_MINUTES)
            OutgoingMail.objects.filter(pk=pk).update(
                attempts=attempts,
                last_error=f"{type(error).__name__}: {error}"[:2000],
                state=OutgoingMail.State.FAILED if failed else OutgoingMail.State.QUEUED,
                next_attempt_at=retry_at,
            )
            return Outcome(sent=False, retry_at=None if failed else retry_at)
        OutgoingMail.objects.filter(pk=pk).update(
            attempts=F("attempts") + 1,
            state=OutgoingMail.State.SENT,
            sent_at=timezone.now(),
            last_error="",
        )
        return Outcome(sent=True)


def _message(mail, connection):
    """The mail as the server gets it: with its links minted (and nowhere else kept)."""
    with transaction.atomic():  # a link that cannot be minted leaves no row behind
        urls = {
            slot: _minters[recipe["kind"]](recipe, mail) for slot, recipe in mail.links.items()
        }

    def fill(text, html=False):
        for slot, url in urls.items():
            text = text.replace(placeholder(slot), escape(url) if html else url)
        return text

    message = EmailMultiAlternatives(
        mail.subject,
        fill(mail.body_text),
        settings.DEFAULT_FROM_EMAIL,
        [mail.to],
        headers={name: fill(value) for name, value in mail.headers.items()},
        connection=connection,
    )
    if mail.body_html:
        message.attach_alternative(fill(mail.body_html, html=True), "text/html")
    for attachment in mail.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return message


@tasks.named("E-Mail senden")
@task()
def deliver_mail(pk):
    """Send one mail from the outbox; if the server refuses, this task comes back later."""
    outcome = deliver(pk)
    if outcome.retry_at:
        tasks.enqueue_at(deliver_mail, outcome.retry_at, pk)
    return outcome.sent


@tasks.named("E-Mails senden (Stapel)")
@task()
def deliver_mails(pks):
    """Send a batch over one connection to the mail server; return how many went.

    At the first refusal the rest of the batch waits with it for the next
    attempt, rather than asking a server that is down once per mail.
    """
    connection = get_connection()
    sent = 0
    with contextlib.suppress(Exception):  # if the server is down, the first mail says so
        connection.open()
    try:
        for position, pk in enumerate(pks):
            outcome = deliver(pk, connection)
            sent += outcome.sent
            if outcome.retry_at:
                rest = pks[position:]
                OutgoingMail.objects.filter(
                    pk__in=rest[1:], state=OutgoingMail.State.QUEUED
                ).update(next_attempt_at=outcome.retry_at)
                tasks.enqueue_at(deliver_mails, outcome.retry_at, rest)
                break
    finally:
        connection.close()
    return sent


def enqueue_batches(pks, after_commit=None):
    """One deliver_mails task per BATCH of these mails."""
    for start in range(0, len(pks), BATCH):
        tasks.enqueue(deliver_mails, pks[start : start + BATCH], after_commit=after_commit)


@tasks.every(datetime.timedelta(minutes=5))
@tasks.named("Liegengebliebene E-Mails senden")
@task()
def sweep_outbox():
    """Send what waits in the outbox with no task to send it; return how many were found.

    A task is written with its mail, so this finds only what was left behind:
    mails of a backend that lost its queue (Redis), or mails due while tasks
    could not wait (the immediate backend). Overdue by LOST_AFTER, so a
    task about to run is not doubled (that would be harmless, only wasteful).
    """
    overdue = list(
        OutgoingMail.objects.filter(
            state=OutgoingMail.State.QUEUED,
            next_attempt_at__lte=timezone.now() - LOST_AFTER,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    enqueue_batches(overdue)
    return len(overdue)


def release(mails):
    """Held mails go out now, by the worker's tasks; return how many."""
    pks = list(mails.filter(state=OutgoingMail.State.HELD).values_list("pk", flat=True))
    released = OutgoingMail.objects.filter(pk__in=pks, state=OutgoingMail.State.HELD).update(
        state=OutgoingMail.State.QUEUED, next_attempt_at=timezone.now()
    )
    enqueue_batches(pks, after_commit=after_answer)
    return released


def send_again(mails):
    """Queue these mails for sending now, held and failed ones too; return how many."""
    pks = list(mails.exclude(state=OutgoingMail.State.SENT).values_list("pk", flat=True))
    OutgoingMail.objects.filter(pk__in=pks).update(
        state=OutgoingMail.State.QUEUED, next_attempt_at=timezone.now()
    )
    enqueue_batches(pks, after_commit=after_answer)
    return len(pks)
