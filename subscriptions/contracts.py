"""Contracts: an order that makes one, which are delivered, which a declaration means."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from subscriptions import mail
from subscriptions.models import Subscriber, Subscription


def running_q(day=None):
    """Contracts that run on ``day``: not ended, not withdrawn, accepted or not."""
    day = day or timezone.localdate()
    return Q(status__in=[Subscription.Status.PENDING, Subscription.Status.ACTIVE]) | Q(
        status=Subscription.Status.CANCELLED, ends_on__gte=day
    )


def delivered_q(day=None):
    """Contracts that are delivered on ``day``: running, and accepted by staff.

    Staff accept an order (Subscription.accept); until then it sends
    nothing to anyone's door.
    """
    return running_q(day) & Q(accepted_at__isnull=False)


@dataclass(frozen=True)
class ContractChoice:
    """Which of a person's contracts a declaration means, and the words they chose it by.

    With neither a plan nor a subscription it means all of them but the
    withdrawn ones. ``description`` is what the declaration keeps
    (Declaration.contract), so the record says what the person saw.
    """

    description: str
    plan_slug: str | None = None
    subscription_id: int | None = None

    def contracts(self, subscriber):
        """The subscriber's contracts this choice names, oldest first."""
        own = subscriber.subscriptions.select_related("plan").order_by("pk")
        if self.subscription_id is not None:
            return list(own.filter(pk=self.subscription_id))
        if self.plan_slug is not None:
            return list(own.filter(plan__slug=self.plan_slug))
        return list(own.exclude(status=Subscription.Status.WITHDRAWN))


@transaction.atomic
def place_order(data, base_url):
    """A pending contract on today's terms; a known e-mail address keeps its customer account.

    The address on file is not changed by an order (anyone can type any
    e-mail address): staff see the order's address in the confirmation
    mail's copy in the outbox.
    """
    email = data["email"].strip().lower()
    subscriber = Subscriber.objects.filter(email=email).first()
    if subscriber is None:
        subscriber = Subscriber.objects.create(
            email=email,
            **{
                field: data[field].strip()
                for field in ("name", "organisation", "street", "postcode", "city")
            },
        )
    subscription = Subscription.agreed(
        subscriber, data["plan"], ordered_online=True, submission=data["submission"]
    )
    subscription.save()
    mail.queue(
        email,
        purpose="order",
        template="order",
        context={
            "subscriber": subscriber,
            "subscription": subscription,
            "ordered": data,
            "withdraw_url": base_url.rstrip("/") + reverse("subscriptions:withdraw"),
            "manage_url": base_url.rstrip("/") + reverse("subscriptions:manage"),
        },
    )
    return subscription
