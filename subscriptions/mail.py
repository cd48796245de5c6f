"""E-mail that is never lost: written to the outbox in the same transaction, sent after it.

A declaration, an order or a sign-up and its e-mail are committed together;
the sending happens only after the commit (and again, by the worker, if the
mail server refused). A mail server that is down loses nothing.

Within a request the sending waits until the answer has gone out (Django
sends request_finished when the server closes the response): a slow mail
server does not hold up the receipt page, and the login-link form answers
as fast for an unknown address as for a subscriber's. after_answer()
leaves other work there too.
"""

import contextvars
import datetime
import functools
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from subscriptions.models import OutgoingMail

logger = logging.getLogger(__name__)

# After this many failed attempts a mail is marked failed (and shown as such
# in the admin, where it can be sent again); the waits between them grow.
MAX_ATTEMPTS = 8
RETRY_MINUTES = [1, 5, 15, 60, 180, 360, 720]


def queue(to, *, purpose, template, context, headers=None, send_now=True, held=False):
    """Write the mail to ``to`` from ``<template>.txt`` and ``.html``; send it after the commit.

    ``purpose`` is what the outbox lists it under. The first line of the text
    template is the subject. ``send_now=False``
    leaves the sending to the worker (manage.py deliver_mail): for bulk mail,
    which would otherwise keep an app process busy after its answer, and
    could be cut off by gunicorn's timeout. ``held=True`` keeps it in the
    outbox until staff release it (release()): what a form sent beyond its
    rate limit would otherwise mail to any address, a flood of them.
    """
    context = {"portal_name": settings.PORTAL_NAME, **context}
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
    )
    if send_now and not held:
        transaction.on_commit(lambda: deliver_soon(mail.pk))
    return mail


# What the current request leaves until its answer has gone out: sending the
# mails it committed, and work whose time must not show in the answer
# (declarations.settle, account.send_login_link). None outside a request
# (management commands, the worker, tests' callbacks).
_after_response = contextvars.ContextVar("mail_after_response", default=None)


def deliver_soon(pk):
    """Send after the answer when inside a request, otherwise at once."""
    after_answer(functools.partial(deliver, pk))


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


def deliver(pk):
    """Try to send one queued mail now; on failure schedule the next attempt.

    Never raises: whoever submitted a form has their confirmation page either way.
    """
    with transaction.atomic():
        mail = (
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, state=OutgoingMail.State.QUEUED)
            .first()
        )
        if mail is None:  # sent meanwhile, or another worker has it
            return False
        message = EmailMultiAlternatives(
            mail.subject,
            mail.body_text,
            settings.DEFAULT_FROM_EMAIL,
            [mail.to],
            headers=mail.headers,
        )
        if mail.body_html:
            message.attach_alternative(mail.body_html, "text/html")
        try:
            message.send()
        except Exception as error:  # SMTP, DNS, TLS: whatever it is, try again later
            logger.warning("Mail %s not sent: %s", pk, error)
            attempts = mail.attempts + 1
            OutgoingMail.objects.filter(pk=pk).update(
                attempts=attempts,
                last_error=f"{type(error).__name__}: {error}"[:2000],
                state=(
                    OutgoingMail.State.FAILED
                    if attempts >= MAX_ATTEMPTS
                    else OutgoingMail.State.QUEUED
                ),
                next_attempt_at=timezone.now()
                + datetime.timedelta(minutes=RETRY_MINUTES[min(attempts, len(RETRY_MINUTES)) - 1]),
            )
            return False
        OutgoingMail.objects.filter(pk=pk).update(
            attempts=F("attempts") + 1,
            state=OutgoingMail.State.SENT,
            sent_at=timezone.now(),
            last_error="",
        )
        return True


def release(mails):
    """Held mails go to the worker's next round (manage.py deliver_mail); return how many."""
    return mails.filter(state=OutgoingMail.State.HELD).update(
        state=OutgoingMail.State.QUEUED, next_attempt_at=timezone.now()
    )


def send_again(mails):
    """Send these mails now, held and failed ones too; return (sent, tried)."""
    pks = list(mails.exclude(state=OutgoingMail.State.SENT).values_list("pk", flat=True))
    OutgoingMail.objects.filter(pk__in=pks).update(
        state=OutgoingMail.State.QUEUED, next_attempt_at=timezone.now()
    )
    return sum(deliver(pk) for pk in pks), len(pks)


def deliver_due(limit=100):
    """Send the queued mails whose time has come (the worker's round); return how many went."""
    due = OutgoingMail.objects.filter(
        state=OutgoingMail.State.QUEUED, next_attempt_at__lte=timezone.now()
    ).values_list("pk", flat=True)[:limit]
    return sum(deliver(pk) for pk in list(due))
