"""The subscriber's customer account: login links, and a new e-mail address that confirms itself.

Each link is single-use and short-lived (LinkToken); the mail that carries
it is written in the same transaction as the link.
"""

from django.db import transaction
from django.urls import reverse

from subscriptions import mail
from subscriptions.models import LinkToken, Subscriber


def _link(base_url, name, secret):
    return base_url.rstrip("/") + reverse(name, args=[secret])


def send_login_link(email, base_url):
    """A login link to the subscriber with this address; for an unknown one, nothing."""
    subscriber = Subscriber.objects.filter(email=email).first()
    if subscriber is None:
        return
    with transaction.atomic():
        secret = LinkToken.issue(subscriber, LinkToken.Purpose.LOGIN)
        mail.queue(
            subscriber.email,
            purpose="login",
            template="login",
            context={
                "subscriber": subscriber,
                "url": _link(base_url, "subscriptions:login", secret),
            },
        )


def email_taken(email, subscriber):
    """Whether the address belongs to another customer account already."""
    return Subscriber.objects.filter(email=email).exclude(pk=subscriber.pk).exists()


@transaction.atomic
def request_email_change(subscriber, new_email, base_url):
    """The link goes to the new address; the change waits until it is used."""
    secret = LinkToken.issue(subscriber, LinkToken.Purpose.EMAIL, new_email=new_email)
    mail.queue(
        new_email,
        purpose="email-change",
        template="email_change",
        context={
            "subscriber": subscriber,
            "url": _link(base_url, "subscriptions:confirm-email", secret),
        },
    )


@transaction.atomic
def change_email(secret):
    """Use the confirmation link: the new address applies, the old one is told.

    Returns the link, or None if it is unknown, used or expired, or if the
    address went to another account meanwhile (the link is used up then too).
    """
    link = LinkToken.redeem(secret, LinkToken.Purpose.EMAIL)
    if link is None:
        return None
    subscriber = link.subscriber
    if email_taken(link.new_email, subscriber):
        return None
    old_email = subscriber.email
    subscriber.email = link.new_email
    subscriber.save(update_fields=["email"])
    mail.queue(
        old_email,
        purpose="email-changed",
        template="email_changed",
        context={"subscriber": subscriber},
    )
    return link
