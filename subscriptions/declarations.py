"""Cancellations and withdrawals: recorded and receipted at once, applied after the answer.

A declaration is recorded whatever it says, and its receipt written to the
address typed, in one transaction before the answer, together with the
task that settles it. Only that task (settle(), run by the worker after the
answer has gone out) looks up whom it names; it acts on their
contracts only when it names them beyond doubt: the customer number or the
e-mail address on file, with the name on file (both compared whole, after
Unicode NFKC, case folding and folding of spaces). Anything less waits for
staff to match it by hand, and so does a declaration sent beyond the rate
limit. The person who sent it sees and gets the same answer either way, in
the same time, so the form tells nobody whether an address or number is
known.

The address typed may be anyone's: it gets what was declared and when it
arrived, each typed field quoted and capped, nothing about any contract.
The subscriber named is always told, at the address on file: what the
declaration did and the end date, or that it changed nothing yet; with a
signed link to say "das war ich nicht".

Mails are written in the transaction of what they report and sent after
the commit (subscriptions.mail), so a mail server that is down loses
nothing. A form sent twice (double click, reload) finds the declaration of
its first sending by the form's one-time key; sent again with something
changed, it is a second declaration.
"""

import dataclasses
import datetime
import hashlib
import re
import unicodedata

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from portal.lib import tasks
from portal.lib.tasks import task
from subscriptions import mail, terms
from subscriptions.contracts import ContractChoice
from subscriptions.models import Declaration, Effect, Subscriber, Subscription

CUSTOMER_NUMBER = re.compile(r"^K\s*-?\s*(\d{6})$", re.IGNORECASE)

# Zero-width (non-)joiners belong to names in several scripts; any other
# format character (bidi overrides among them), control character or line
# separator could make a name read as something it is not.
_JOINERS = frozenset("\u200c\u200d")
_CONTROL_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})

# How much of each typed field a mail repeats: enough to recognise one's own
# declaration, too little to carry a message. The receipt page shows it all.
QUOTE_LIMITS = {"name": 100, "identifier": 100, "email": 254, "reason": 300}
_WEB_ADDRESS = re.compile(r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.)\S*", re.IGNORECASE)

DISPUTE_SALT = "subscriptions.declarations.dispute"
# Long enough for a notice read after the holidays; afterwards a reply by
# e-mail still reaches the Aboverwaltung.
DISPUTE_LINK_LIFETIME = datetime.timedelta(days=90)


def control_characters(text, allowed=""):
    """The characters of ``text`` that do not belong in a line of it (besides ``allowed``)."""
    return [
        char
        for char in text
        if char not in allowed
        and char not in _JOINERS
        and unicodedata.category(char) in _CONTROL_CATEGORIES
    ]


def normal_name(name):
    """A name as compared: NFKC (full-width letters, ligatures), case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def canonical_identifier(text):
    """``K-123456`` for a customer number however typed, an e-mail address in lower case.

    None for anything else: the form asks again rather than keep free text.
    """
    text = unicodedata.normalize("NFKC", text).strip()
    number = CUSTOMER_NUMBER.match(text)
    if number:
        return f"K-{number[1]}"
    try:
        validate_email(text)
    except ValidationError:
        return None
    return text.lower()


def named_subscriber(identifier):
    """The subscriber whose customer number or e-mail address this is, if any.

    Only named, not identified: a customer number is short enough to be
    guessed and an e-mail address is no secret. They are told of the
    declaration either way; it acts on their contracts only if
    identifies() too.
    """
    key = canonical_identifier(identifier)
    if key is None:
        return None
    lookup = {"email": key} if "@" in key else {"customer_number": key}
    return Subscriber.objects.filter(**lookup).first()


def identifies(declaration, subscriber):
    """Whether the declaration gives this subscriber's name, whole: not a word of it, nor more."""
    return normal_name(declaration.name) == normal_name(subscriber.name)


def receive(data, base_url, subscriber=None, held=False):
    """Record a declaration from a valid form and write its receipt; return (declaration, created).

    ``data`` is the form's cleaned data, its ``kind`` the Declaration.Kind and
    its ``contract`` a ContractChoice; ``subscriber`` the logged-in one, if
    any (otherwise the identifier and name find them, in settle()).
    ``held``: the form came beyond its rate limit; its mails wait in the
    outbox, and the declaration for staff.

    Up to the answer the work is the same for every declaration: whether
    the identifier names anybody is looked up only after it (settle()), so
    not even the answer's time tells.
    """
    choice = data["contract"]
    declared = {
        "kind": data["kind"],
        "reason": data.get("reason", "").strip()
        if data["kind"] == Declaration.Kind.EXTRAORDINARY
        else "",
        "name": data["name"].strip(),
        "identifier": data["identifier"].strip(),
        "contract": choice.description,
        "requested_end": data.get("requested_end"),
        "email": data["email"].strip(),
    }
    submission, earlier = _submission(data["submission"], declared)
    if earlier is not None:
        return earlier, False
    try:
        with transaction.atomic():
            declaration = Declaration.objects.create(**declared, submission=submission)
            sent = mail.queue(
                declaration.email,
                purpose="declaration",
                template="declaration",
                context=_mail_context(declaration),
                held=held,
                links={"receipt_url": _receipt_link(declaration, base_url)},
            )
            Declaration.objects.filter(pk=declaration.pk).update(confirmation=sent)
            declaration.confirmation = sent
            logged_in = subscriber.pk if subscriber is not None else None
            # A task, committed with the declaration: it is settled even if
            # this process dies right after the answer.
            tasks.enqueue(
                settle_later,
                declaration.pk,
                dataclasses.asdict(choice),
                base_url,
                logged_in,
                held=held,
                after_commit=mail.after_answer,
            )
    except IntegrityError:
        # The same form, sent twice at the same moment: the other request won.
        existing = Declaration.objects.filter(submission=submission).first()
        if existing is None:
            raise
        return existing, False
    return declaration, True


def _submission(key, declared):
    """(the submission key to record ``declared`` under, the declaration it found there if any).

    The form's one-time key finds its earlier sending only if that declared
    the same (a double click, a reload). Sent again with something changed
    (back in the browser, another contract chosen), it is a declaration of
    its own, and kept too: under a key made of the form's key and what it
    declares, which finds it again if that is sent twice.
    """
    earlier = Declaration.objects.filter(submission=key).first()
    if earlier is None or all(getattr(earlier, name) == v for name, v in declared.items()):
        return key, earlier
    variant = hashlib.sha256(f"{key}|{sorted(declared.items())!r}".encode()).hexdigest()
    return variant, Declaration.objects.filter(submission=variant).first()


@tasks.named("Kündigung oder Widerruf zuordnen")
@task()
def settle_later(pk, choice, base_url, subscriber_pk=None, held=False):
    """settle() as a task of the worker; ``choice`` as the fields of a ContractChoice."""
    settle(pk, ContractChoice(**choice), base_url, subscriber_pk, held=held)


@transaction.atomic
def settle(pk, choice, base_url, subscriber_pk=None, held=False):
    """After the answer: act on the contracts if the declaration is certainly theirs; tell them.

    Certain is a logged-in subscriber's declaration, or one that
    identifies() whom its identifier names and did not come beyond the rate
    limit. Whoever it names is told either way, with the "das war ich nicht"
    link. Should this fail or never run, the declaration stays unmatched,
    and staff match it by hand.
    """
    declaration = Declaration.objects.select_for_update().filter(pk=pk).first()
    if declaration is None or declaration.subscriber_id is not None:
        return  # matched by staff meanwhile
    if subscriber_pk is not None:
        named = Subscriber.objects.get(pk=subscriber_pk)
        certain = True
    else:
        named = named_subscriber(declaration.identifier)
        certain = named is not None and not held and identifies(declaration, named)
    if named is None:
        return
    if certain:
        apply(declaration, named, choice.contracts(named))
    notify(declaration, named, base_url, held=held)


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
    """Change the (locked) contract as the declaration says; return what happened.

    Whatever order declarations arrive or are matched in, a contract ends on
    the earliest day any of them gives (terms.cancellation_end): each is
    taken as of the day it was received, and none makes it run longer.
    """
    if declaration.kind == Declaration.Kind.WITHDRAWAL:
        return _withdraw(subscription, received)
    current = subscription.ends_on
    if current is not None and current < received:
        return Effect.Outcome.ENDED  # over before the declaration arrived: nothing to end
    if subscription.status == Subscription.Status.WITHDRAWN:
        return Effect.Outcome.ALREADY
    ends_on = max(
        terms.cancellation_end(
            subscription,
            received,
            extraordinary=declaration.kind == Declaration.Kind.EXTRAORDINARY,
            requested=declaration.requested_end,
        ),
        subscription.concluded_on,
    )
    if subscription.status == Subscription.Status.CANCELLED and ends_on >= current:
        return Effect.Outcome.ALREADY
    subscription.ends_on = ends_on
    subscription.status = Subscription.Status.CANCELLED
    subscription.save(update_fields=["status", "ends_on"])
    return Effect.Outcome.ENDS


def _withdraw(subscription, received):
    """A withdrawal within the period ends the contract, cancelled or not (§ 355 BGB).

    It ends on the day received, or earlier where a cancellation had ended
    it already; never before its conclusion.
    """
    if not subscription.ordered_online:
        return Effect.Outcome.NO_RIGHT
    if subscription.status == Subscription.Status.WITHDRAWN:
        return Effect.Outcome.WITHDRAWN_BEFORE
    if not subscription.can_be_withdrawn(received):
        return Effect.Outcome.TOO_LATE
    ended = min(received, subscription.ends_on or received)
    subscription.status = Subscription.Status.WITHDRAWN
    subscription.ends_on = max(ended, subscription.concluded_on)
    subscription.save(update_fields=["status", "ends_on"])
    return Effect.Outcome.WITHDRAWN


def quoted(declaration):
    """The typed fields as a mail repeats them: one line each, web addresses removed, capped."""
    return {
        field: _quote(getattr(declaration, field), limit) for field, limit in QUOTE_LIMITS.items()
    }


def _quote(text, limit):
    text = "".join(" " if control_characters(char) else char for char in text)
    text = " ".join(_WEB_ADDRESS.sub("[Link entfernt]", text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _mail_context(declaration):
    return {"declaration": declaration, "quoted": quoted(declaration)}


def _receipt_link(declaration, base_url):
    """The recipe of the receipt's link: signed when sent, never in the outbox."""
    return {"kind": "receipt", "declaration": declaration.pk, "base": base_url.rstrip("/")}


@mail.link_kind("receipt")
def _mint_receipt(recipe, outgoing):
    return recipe["base"] + Declaration(pk=recipe["declaration"]).get_absolute_url()


def notify(declaration, subscriber, base_url, held=False, by_hand=False):
    """Tell the subscriber on file what the declaration did, and how to say it was not them.

    If it names them but was not matched to them, it says that nothing
    changed and that staff look at it.
    """
    base = base_url.rstrip("/")
    matched = declaration.subscriber_id == subscriber.pk
    context = {
        **_mail_context(declaration),
        "subscriber": subscriber,
        "matched": matched,
        "by_hand": by_hand,
        "effects": list(declaration.effects.select_related("subscription__plan"))
        if matched
        else [],
        "cancel_url": base + reverse("subscriptions:cancel"),
    }
    dispute = {
        "kind": "dispute",
        "declaration": declaration.pk,
        "subscriber": subscriber.pk,
        "base": base,
    }
    return mail.queue(
        subscriber.email,
        purpose="declaration-notice",
        template="declaration_notice",
        context=context,
        held=held,
        links={"dispute_url": dispute, "receipt_url": _receipt_link(declaration, base)},
    )


@mail.link_kind("dispute")
def _mint_dispute(recipe, outgoing):
    """Signed when sent: a held notice released later still has its full time."""
    declaration = Declaration(pk=recipe["declaration"])
    return recipe["base"] + dispute_path(declaration, Subscriber(pk=recipe["subscriber"]))


@transaction.atomic
def match(declaration, subscriber, subscriptions, user, base_url):
    """Staff match a declaration that found no contract: it takes effect as of its receipt.

    The end date goes to the address on file, as for a declaration matched
    at once; the address typed has its receipt already.
    """
    declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
    done = set(declaration.effects.values_list("subscription_id", flat=True))
    effects = apply(declaration, subscriber, [s for s in subscriptions if s.pk not in done])
    Declaration.objects.filter(pk=declaration.pk).update(
        matched_by=user, matched_at=timezone.now()
    )
    notify(declaration, subscriber, base_url, by_hand=True)
    return effects


def dispute_path(declaration, subscriber):
    """The signed "das war ich nicht" link for the subscriber told of the declaration."""
    signed = signing.dumps([declaration.pk, subscriber.pk], salt=DISPUTE_SALT)
    return reverse("subscriptions:not-me", args=[signed])


def signed_dispute(signed):
    """(declaration, subscriber) a "das war ich nicht" link was made for; None if forged or old.

    Our signature says we told this subscriber of this declaration; a
    declaration matched to somebody else since is still not theirs.
    """
    try:
        pk, subscriber_pk = signing.loads(signed, salt=DISPUTE_SALT, max_age=DISPUTE_LINK_LIFETIME)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    declaration = Declaration.objects.select_related("subscriber").filter(pk=pk).first()
    subscriber = Subscriber.objects.filter(pk=subscriber_pk).first()
    if declaration is None or subscriber is None:
        return None
    return declaration, subscriber


def dispute(declaration, subscriber, base_url):
    """The subscriber says "das war ich nicht": recorded once, and the Aboverwaltung told at once.

    Returns whether this was the first time.
    """
    with transaction.atomic():
        first = Declaration.objects.filter(pk=declaration.pk, disputed_at__isnull=True).update(
            disputed_at=timezone.now(), disputed_by=subscriber
        )
        if first:
            admin_path = reverse("admin:subscriptions_declaration_change", args=[declaration.pk])
            mail.queue(
                settings.SUBSCRIPTION_EMAIL,
                purpose="declaration-disputed",
                template="declaration_disputed",
                context={
                    "declaration": declaration,
                    "subscriber": subscriber,
                    "admin_url": base_url.rstrip("/") + admin_path,
                },
            )
    declaration.refresh_from_db(fields=["disputed_at", "disputed_by"])
    return bool(first)
