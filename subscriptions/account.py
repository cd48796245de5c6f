"""The subscriber's customer account: login links, and a new e-mail address that confirms itself.

Each link is single-use and short-lived (LinkToken). It is minted when its
mail is sent (subscriptions.mail.link_kind): the outbox keeps only where it
goes, and the database only its hash.
"""

from django.db import transaction
from django.urls import reverse

from portal.lib import tasks
from portal.lib.tasks import task
from subscriptions import mail
from subscriptions.models import LinkToken, Subscriber

PURPOSE_ROUTES = {
    LinkToken.Purpose.LOGIN: "subscriptions:login",
    LinkToken.Purpose.EMAIL: "subscriptions:confirm-email",
}


class AddressTaken(Exception):
    """The confirmed address belongs to another customer account.

    Told only to whoever uses the link, who reads that mailbox and may
    know it has an account; the request for the change answered the same
    for every address. Decided at the click, not at the request: the
    address may change hands in between.
    """


def _link(base_url, name, *args):
    return base_url.rstrip("/") + reverse(name, args=args)


@tasks.named("Anmeldelink schreiben")
@task()
def send_login_link(email, base_url):
    """A mail to ``email``: the login link if a subscriber has it, otherwise a note that none does.

    A task: the form enqueues it for every address alike, so the answer's
    time does not tell which addresses belong to subscribers (``make
    faults`` measures it); and either way a mail is rendered, stored and
    sent, so the time a process stays busy afterwards hardly does either
    (the link's own row is the one difference). The note is of use to its
    reader, who may have ordered with another address or mistyped it; it
    says nothing about anyone else and carries nothing typed into the form.
    """
    subscriber = Subscriber.objects.filter(email=email).first()
    with transaction.atomic():
        if subscriber is None:
            mail.queue(
                email,
                purpose="login-unknown",
                template="login_unknown",
                context={"url": _link(base_url, "subscriptions:manage")},
            )
            return
        mail.queue(
            subscriber.email,
            purpose="login",
            template="login",
            context={"subscriber": subscriber},
            links={"url": _recipe(subscriber, LinkToken.Purpose.LOGIN, base_url)},
        )


def _recipe(subscriber, purpose, base_url):
    return {"kind": "account", "purpose": purpose, "subscriber": subscriber.pk, "base": base_url}


@mail.link_kind("account")
def _mint(recipe, outgoing):
    """A new link at each sending; an e-mail change confirms the address it is sent to."""
    purpose = recipe["purpose"]
    new_email = outgoing.to if purpose == LinkToken.Purpose.EMAIL else ""
    secret = LinkToken.issue(Subscriber(pk=recipe["subscriber"]), purpose, new_email=new_email)
    return _link(recipe["base"], PURPOSE_ROUTES[purpose], secret)


def email_taken(email, subscriber):
    """Whether the address belongs to another customer account already."""
    return Subscriber.objects.filter(email=email).exclude(pk=subscriber.pk).exists()


@transaction.atomic
def request_email_change(subscriber, new_email, base_url):
    """The link goes to the new address; the change waits until it is used."""
    mail.queue(
        new_email,
        purpose="email-change",
        template="email_change",
        context={"subscriber": subscriber},
        links={"url": _recipe(subscriber, LinkToken.Purpose.EMAIL, base_url)},
    )


@transaction.atomic
def change_email(secret):
    """Use the confirmation link: the new address applies, the old one is told.

    Returns the link, or None if it is unknown, used or expired. Raises
    AddressTaken, and changes nothing, if the address belongs to another
    customer account.
    """
    link = LinkToken.redeem(secret, LinkToken.Purpose.EMAIL)
    if link is None:
        return None
    subscriber = link.subscriber
    if email_taken(link.new_email, subscriber):
        raise AddressTaken(link.new_email)
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
