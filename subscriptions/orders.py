"""Ordering: an order waits for its e-mail address to confirm it, then makes a contract.

Anyone can type anyone's e-mail address and any postal address. So the order
is only stored (Order) and a signed, expiring link goes to the address typed,
with nothing typed in it (no stranger's text in a mail to anyone);
the customer record is created, and the contract concluded, when that link
is used (GET shows the order, POST confirms: mail scanners open links). An
order never changes a customer's postal address: a different one becomes an
AddressChange that staff accept or reject in the admin. Staff then accept
the contract, and only then is it delivered (contracts.delivered_q); the
subscriber gets the Vertragsbestätigung with its start (confirm_contract).
"""

from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from subscriptions import documents, mail, withdrawal_info
from subscriptions.models import (
    ADDRESS_FIELDS,
    ORDER_LINK_LIFETIME,
    AddressChange,
    Order,
    Subscriber,
    Subscription,
    address_line,
)

CONFIRM_SALT = "subscriptions.orders.confirm"


def _absolute(base_url, name, *args):
    return base_url.rstrip("/") + reverse(name, args=args)


def confirm_path(order):
    """The link in the mail: signed, so nobody confirms others' orders by counting."""
    return reverse(
        "subscriptions:order-confirm", args=[signing.dumps(order.pk, salt=CONFIRM_SALT)]
    )


@mail.link_kind("order-confirm")
def _mint(recipe, outgoing):
    """Signed when sent, so it expires ORDER_LINK_LIFETIME after the mail went out."""
    return recipe["base"].rstrip("/") + confirm_path(Order(pk=recipe["order"]))


def signed_order(signed):
    """The order a confirmation link was made for, and whether the link has expired.

    (None, False) for a link we did not sign or an order that is gone. An
    expired link still finds its order, so that a confirmed one can say so.
    """
    try:
        pk = signing.loads(signed, salt=CONFIRM_SALT, max_age=ORDER_LINK_LIFETIME)
        expired = False
    except signing.SignatureExpired:
        pk = signing.loads(signed, salt=CONFIRM_SALT)
        expired = True
    except signing.BadSignature:
        return None, False
    order = (
        Order.objects.select_related("plan", "subscription__plan", "address_change")
        .filter(pk=pk)
        .first()
    )
    return order, expired and order is not None


def place(data, base_url):
    """Store the order as typed and mail the confirmation link; return (order, created).

    The form's one-time key makes an order sent twice one order and one mail.
    """
    existing = Order.objects.filter(submission=data["submission"]).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            order = Order.objects.create(
                plan=data["plan"],
                email=data["email"].strip().lower(),
                submission=data["submission"],
                **{field: data[field].strip() for field in ADDRESS_FIELDS},
            )
            mail.queue(
                order.email,
                purpose="order-confirm",
                template="order_confirm",
                context={"order": order, "days": ORDER_LINK_LIFETIME.days},
                links={"url": {"kind": "order-confirm", "order": order.pk, "base": base_url}},
            )
    except IntegrityError:
        # The same form, sent twice at the same moment: the other request won.
        existing = Order.objects.filter(submission=data["submission"]).first()
        if existing is None:
            raise
        return existing, False
    return order, True


def _differs(subscriber, order):
    """Whether the order's address is another one than the customer's (spacing and case aside)."""

    def normal(value):
        return " ".join(value.split()).casefold()

    return any(
        normal(getattr(subscriber, field)) != normal(getattr(order, field))
        for field in ADDRESS_FIELDS
    )


@transaction.atomic
def confirm(order, base_url):
    """The mailbox confirmed the order: the contract is concluded today.

    A new address becomes a customer with the address typed. A customer on
    file keeps their address; a different one waits for staff as an
    AddressChange. The contract waits for staff to accept it. A second
    confirmation changes nothing. Returns the order, or None if its plan
    can no longer be ordered.
    """
    order = Order.objects.select_for_update().select_related("plan").get(pk=order.pk)
    if order.confirmed_at is not None:
        return order
    if not order.plan.orderable:
        return None
    # Two orders for one new address, confirmed at the same moment: one customer.
    subscriber, created = Subscriber.objects.get_or_create(
        email=order.email, defaults=order.address()
    )
    change = None
    if not created and _differs(subscriber, order):
        change = AddressChange.objects.create(
            subscriber=subscriber, order=order, **order.address()
        )
    subscription = Subscription.agreed(subscriber, order.plan, ordered_online=True)
    # The order pages showed the full Widerrufsbelehrung, and the mail below
    # carries it: the period runs from today (or the first issue). Without an
    # Impressum it named no trader, so it was not given (§ 356 Abs. 3 BGB).
    if withdrawal_info.trader() is not None:
        subscription.withdrawal_informed_on = subscription.concluded_on
    subscription.save()
    order.confirmed_at = timezone.now()
    order.subscription = subscription
    order.save(update_fields=["confirmed_at", "subscription"])
    mail.queue(
        subscriber.email,
        purpose="order",
        template="order",
        context={
            "subscriber": subscriber,
            "subscription": subscription,
            "change": change,
            "withdraw_url": _absolute(base_url, "subscriptions:withdraw"),
            "manage_url": _absolute(base_url, "subscriptions:manage"),
        },
        attachments=documents.contract_documents(
            subscription, _absolute(base_url, "subscriptions:withdraw")
        ),
    )
    return order


def confirm_contract(subscription, base_url):
    """The Vertragsbestätigung, once staff accepted the contract (Subscription.accept).

    Call it when accept() returned True, in the same transaction: that is
    once per contract. It carries the start and the terms as agreed, with
    the contract documents, so a contract staff entered by hand (a phone
    order) is confirmed as fully as one ordered online.
    """
    subscriber = subscription.subscriber
    mail.queue(
        subscriber.email,
        purpose="contract",
        template="contract_confirmed",
        context={
            "subscriber": subscriber,
            "subscription": subscription,
            "manage_url": _absolute(base_url, "subscriptions:manage"),
        },
        attachments=documents.contract_documents(
            subscription, _absolute(base_url, "subscriptions:withdraw")
        ),
    )


@transaction.atomic
def decide(change, accept, user, base_url):
    """Staff take over an order's address for the customer, or keep the one on file.

    The customer hears of it at the address on file. Returns False if the
    change was decided already (by someone else meanwhile, say).
    """
    change = (
        AddressChange.objects.select_for_update()
        .filter(pk=change.pk, status=AddressChange.Status.OPEN)
        .first()
    )
    if change is None:
        return False
    subscriber = Subscriber.objects.select_for_update().get(pk=change.subscriber_id)
    if accept:
        change.previous = address_line(subscriber)
        for field in ADDRESS_FIELDS:
            setattr(subscriber, field, getattr(change, field))
        subscriber.save(update_fields=list(ADDRESS_FIELDS))
    change.status = AddressChange.Status.ACCEPTED if accept else AddressChange.Status.REJECTED
    change.decided_at = timezone.now()
    change.decided_by = user
    change.save(update_fields=["status", "decided_at", "decided_by", "previous"])
    mail.queue(
        subscriber.email,
        purpose="address-change",
        template="address_change",
        context={
            "subscriber": subscriber,
            "change": change,
            "received": change.order.received_at,
            "manage_url": _absolute(base_url, "subscriptions:manage"),
        },
    )
    return True
