"""Plain e-mail from any app, through the outbox where one is installed.

The outbox (subscriptions: OutgoingMail, a worker that sends and retries)
belongs to an app the others must not import. It registers its queueing
function here in its AppConfig.ready(); an app that tells someone something
calls queue_mail() and does not care who delivers. Without a registration
(a project without the outbox) the mail is sent with Django's send_mail once
the transaction has committed, so nothing is mailed about a change rolled back.
"""

import logging

from django.core.mail import send_mail
from django.db import transaction

logger = logging.getLogger(__name__)

_queue = None


def register(queue):
    """``queue(to, subject, text, purpose)`` writes the mail to the outbox (called once)."""
    global _queue
    _queue = queue


def queue_mail(to, subject, text, purpose):
    """Send ``text`` (plain, the whole body) with ``subject`` to the address ``to``."""
    if _queue is not None:
        return _queue(to=to, subject=subject, text=text, purpose=purpose)

    def send():
        try:
            send_mail(subject, text, None, [to])
        except Exception:  # a mail server that is down must not break the save
            logger.exception("Mail (%s) not sent", purpose)

    transaction.on_commit(send)
    return None
