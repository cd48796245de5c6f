"""Cancellations and withdrawals: received, recorded, applied and confirmed in one transaction.

A declaration is recorded whatever it says: one that matches no contract
is still confirmed as received and waits for staff to match it by hand.
The confirmation mail is written in the same transaction and sent after
the commit (subscriptions.mail), so a mail server that is down loses
nothing. A form sent twice (double click, reload) finds the declaration
of its first sending by the form's one-time key.
"""

import re

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from subscriptions import mail, terms
from subscriptions.models import Declaration, Effect, Subscriber, Subscription

CUSTOMER_NUMBER = re.compile(r"^\s*K\s*-?\s*(\d{6})\s*$", re.IGNORECASE)


def find_subscriber(identifier, name):
    """The subscriber a customer number or e-mail address names, if the name fits too.

    A customer number is short enough to be guessed; the name has to share
    a word with the one on file, or the declaration waits for staff.
    """
    number = CUSTOMER_NUMBER.match(identifier)
    if number:
        subscriber = Subscriber.objects.filter(customer_number=f"K-{number[1]}").first()
    elif "@" in identifier:
        subscriber = Subscriber.objects.filter(email=identifier.strip().lower()).first()
    else:
        subscriber = None
    if subscriber is None or not _names_match(name, subscriber.name):
        return None
    return subscriber


def _words(name):
    return {word for word in re.findall(r"\w+", name.casefold()) if len(word) > 1}


def _names_match(given, on_file):
    return bool(_words(given) & _words(on_file))


def receive(kind, data, base_url, subscriber=None):
    """Record a declaration from a valid form; return (declaration, created).

    ``data`` is the form's cleaned data, its ``contract`` a ContractChoice;
    ``subscriber`` the logged-in one, if any (otherwise the identifier and
    name find them).
    """
    choice = data["contract"]
    existing = Declaration.objects.filter(submission=data["submission"]).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            declaration = Declaration.objects.create(
                kind=kind,
                reason=data.get("reason", "").strip()
                if kind == Declaration.Kind.EXTRAORDINARY
                else "",
                name=data["name"].strip(),
                identifier=data["identifier"].strip(),
                contract=choice.description,
                requested_end=data.get("requested_end"),
                email=data["email"].strip(),
                submission=data["submission"],
            )
            subscriber = subscriber or find_subscriber(declaration.identifier, declaration.name)
            if subscriber is not None:
                apply(declaration, subscriber, choice.contracts(subscriber))
            confirm(declaration, base_url)
    except IntegrityError:
        # The same form, sent twice at the same moment: the other request won.
        existing = Declaration.objects.filter(submission=data["submission"]).first()
        if existing is None:
            raise
        return existing, False
    return declaration, True


def apply(declaration, subscriber, subscriptions):
    """What the declaration does to each contract, as of the day it was received."""
    Declaration.objects.filter(pk=declaration.pk).update(subscriber=subscriber)
    declaration.subscriber = subscriber
    received = declaration.received_on
    effects = []
    locked = (
        Subscription.objects.select_for_update()
        .filter(pk__in=[s.pk for s in subscriptions])
        .select_related("plan")
        .order_by("pk")
    )
    for subscription in locked:
        effects.append(_effect(declaration, subscription, received))
    Effect.objects.bulk_create(effects)
    return effects


def _effect(declaration, subscription, received):
    outcome = _carry_out(declaration, subscription, received)
    return Effect(
        declaration=declaration,
        subscription=subscription,
        outcome=outcome,
        ends_on=subscription.ends_on,
    )


def _carry_out(declaration, subscription, received):
    """Change the (locked) contract as the declaration says; return what happened."""
    if declaration.kind == Declaration.Kind.WITHDRAWAL:
        if not subscription.can_be_withdrawn(received):
            return Effect.Outcome.TOO_LATE
        subscription.status = Subscription.Status.WITHDRAWN
        subscription.ends_on = max(received, subscription.concluded_on)
        subscription.save(update_fields=["status", "ends_on"])
        return Effect.Outcome.WITHDRAWN
    if subscription.ends_on is not None:
        return Effect.Outcome.ALREADY
    subscription.ends_on = max(
        terms.cancellation_end(
            subscription,
            received,
            extraordinary=declaration.kind == Declaration.Kind.EXTRAORDINARY,
            requested=declaration.requested_end,
        ),
        subscription.concluded_on,
    )
    subscription.status = Subscription.Status.CANCELLED
    subscription.save(update_fields=["status", "ends_on"])
    return Effect.Outcome.ENDS


def _mail_context(declaration, base_url):
    base = base_url.rstrip("/")
    return {
        "declaration": declaration,
        "effects": list(declaration.effects.select_related("subscription__plan")),
        "receipt_url": base + declaration.get_absolute_url(),
        "cancel_url": base + reverse("subscriptions:cancel"),
    }


def confirm(declaration, base_url):
    """The confirmation to the address given; a notice to the one on file if it differs."""
    context = _mail_context(declaration, base_url)
    sent = mail.queue(
        declaration.email, purpose="declaration", template="declaration", context=context
    )
    Declaration.objects.filter(pk=declaration.pk).update(confirmation=sent)
    declaration.confirmation = sent
    subscriber = declaration.subscriber
    if subscriber is not None and subscriber.email != declaration.email.lower():
        mail.queue(
            subscriber.email,
            purpose="declaration-notice",
            template="declaration_notice",
            context=context,
        )
    return sent


@transaction.atomic
def match(declaration, subscriber, subscriptions, user, base_url):
    """Staff match a declaration that found no contract: it takes effect as of its receipt."""
    declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
    done = set(declaration.effects.values_list("subscription_id", flat=True))
    effects = apply(declaration, subscriber, [s for s in subscriptions if s.pk not in done])
    Declaration.objects.filter(pk=declaration.pk).update(
        matched_by=user, matched_at=timezone.now()
    )
    context = _mail_context(declaration, base_url)
    mail.queue(
        declaration.email,
        purpose="declaration-matched",
        template="declaration_matched",
        context=context,
    )
    return effects
