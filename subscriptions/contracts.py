"""Contracts as a declaration names them: all of a person's, those of a plan, or one."""

from dataclasses import dataclass

from subscriptions.models import Subscription


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
