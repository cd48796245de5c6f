"""Contracts: which run, which are delivered, which a declaration means."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from subscriptions.models import Subscription


def running_q(day=None):
    """Contracts that run on ``day``: not withdrawn, accepted or not, and not ended before it.

    A contract runs through its ``ends_on``, whether a cancellation set it
    or its fixed term did (Subscription.save): after that day it is over
    without anybody changing its status.
    """
    day = day or timezone.localdate()
    return Q(
        status__in=[
            Subscription.Status.PENDING,
            Subscription.Status.ACTIVE,
            Subscription.Status.CANCELLED,
        ]
    ) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def delivered_q(day=None):
    """Contracts that are delivered on ``day``: running, and accepted by staff.

    An order becomes a contract only once its e-mail address confirmed it
    (subscriptions.orders); staff then accept it (Subscription.accept).
    Nothing else reaches the mailing house.
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
