"""Which ad shows where: the creatives running now, and a draw by the campaigns' weights."""

import random

from django.db.models import Case, F, When
from django.db.models.functions import Greatest
from django.utils import timezone

from ads.models import Campaign, Creative

_draw = random.SystemRandom()


def running_creatives(slot=None, at=None):
    """Active creatives of campaigns running at ``at`` (now), for one place or all."""
    creatives = Creative.objects.filter(
        active=True, campaign__in=Campaign.objects.running(at or timezone.now())
    )
    return creatives.filter(slot=slot) if slot else creatives


def last_boundary(at):
    """The latest moment up to ``at`` at which a campaign began or ended, as a subquery.

    Which ad places a page shows changes at those moments without any
    write to the database; a page cache keyed on this value renews then.
    """
    passed = Greatest(
        Case(When(starts_at__lte=at, then=F("starts_at"))),
        Case(When(ends_at__lte=at, then=F("ends_at"))),
    )
    return (
        Campaign.objects.annotate(passed=passed)
        .filter(passed__isnull=False)
        .order_by("-passed")
        .values("passed")[:1]
    )


def occupied_slots(at=None):
    """The places that have something to show now (one query)."""
    return set(running_creatives(at=at).order_by().values_list("slot", flat=True).distinct())


def choose(creatives, rng=_draw):
    """One of ``creatives``, each campaign as often as its weight says.

    A campaign with two pictures for the place shows each half as often, so
    booking more pictures buys no more showings.
    """
    if not creatives:
        return None
    per_campaign = {}
    for creative in creatives:
        per_campaign[creative.campaign_id] = per_campaign.get(creative.campaign_id, 0) + 1
    weights = [c.campaign.weight / per_campaign[c.campaign_id] for c in creatives]
    return rng.choices(creatives, weights=weights)[0]
