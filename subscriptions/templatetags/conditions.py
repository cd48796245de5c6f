"""The terms of a plan or a contract in words, for templates (subscriptions.conditions)."""

from django import template

from subscriptions import conditions, privacy
from subscriptions.models import Plan, Subscription

register = template.Library()


@register.filter
def conditions_of(obj, starts_on=None):
    """A contract's terms as agreed, or a plan's (with its dates for a start on ``starts_on``)."""
    if isinstance(obj, Subscription):
        return conditions.lines(conditions.Agreement.of_contract(obj))
    return conditions.lines(conditions.Agreement.of_plan(obj, starts_on))


@register.inclusion_tag("subscriptions/includes/offers.html")
def offer_conditions():
    """Every plan that can be ordered, with its terms: the generated part of the AGB page."""
    return {
        "offers": [
            (plan, conditions.lines(conditions.Agreement.of_plan(plan)))
            for plan in Plan.objects.filter(orderable=True)
        ]
    }


@register.inclusion_tag("subscriptions/includes/privacy_facts.html")
def privacy_facts():
    """Retention periods, recipients and contact as configured: the Datenschutzerklärung's part."""
    return {
        "periods": privacy.periods(),
        "recipients": privacy.recipients(),
        "contact": privacy.contact(),
    }
