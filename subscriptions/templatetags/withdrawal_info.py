"""{% withdrawal_info plan %}: the Widerrufsbelehrung for a plan, on a page or in a mail."""

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from portal.lib.pagecache import render_fragment
from subscriptions import withdrawal_info as info

register = template.Library()


def _online_url(context):
    """ "Vertrag widerrufen" as an address to type: the mail's own, or this site's."""
    if context.get("withdraw_url"):
        return context["withdraw_url"]
    return context["request"].build_absolute_uri(reverse("subscriptions:withdraw"))


def _html(context, by_post, applies_to="", collapsed=False):
    args = (by_post, _online_url(context), applies_to, collapsed)
    request = context.get("request")
    if request is None:  # a mail
        return info.render(None, *args)
    return render_fragment(request, "withdrawal-info", args)


@register.simple_tag(takes_context=True)
def withdrawal_info(context, plan, text=False):
    """The Belehrung for this plan's kind: HTML, or ``text`` for a plain-text mail."""
    if text:
        return info.render(None, plan.delivered_by_post, _online_url(context), text=True)
    return _html(context, plan.delivered_by_post)


@register.simple_tag(takes_context=True)
def withdrawal_info_for(context, plans):
    """One Belehrung per kind among ``plans``, behind its title (the order page, before a
    plan is chosen; the confirmation page shows the chosen plan's one open)."""
    kinds = sorted({plan.delivered_by_post for plan in plans}, reverse=True)
    rendered = SafeString()
    for by_post in kinds:
        applies_to = _("Print- und Kombi-Abonnements") if by_post else _("Digital-Abonnements")
        rendered += _html(context, by_post, applies_to, collapsed=True)  # safe + safe: safe
    return rendered
