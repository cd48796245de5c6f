"""Ordering a subscription online: the form, "please check your mail", the confirmation link."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from portal.lib import ratelimit
from subscriptions import orders
from subscriptions.forms import OrderForm
from subscriptions.models import ORDER_LINK_LIFETIME, Order, Plan
from subscriptions.views.common import base_url, too_many

SESSION_ORDER = "abo_ordered"


@never_cache
def order(request):
    form = OrderForm(request.POST or None, initial={"plan": request.GET.get("angebot")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        placed = Order.objects.filter(submission=data["submission"]).first()
        if placed is None:
            if ratelimit.exceeded("order", ratelimit.client_address(request), data["email"]):
                return too_many(request, "order")
            placed, _created = orders.place(data, base_url(request))
        request.session[SESSION_ORDER] = placed.pk
        return redirect("subscriptions:ordered")
    # Each offer's dates as they would be for a contract begun today (subscriptions.conditions).
    return render(
        request, "subscriptions/order.html", {"form": form, "today": timezone.localdate()}
    )


@never_cache
def ordered(request):
    """The browser that ordered is told to check its mail; nobody else sees the order."""
    pk = request.session.get(SESSION_ORDER)
    placed = get_object_or_404(Order.objects.select_related("plan"), pk=pk or 0)
    return render(
        request,
        "subscriptions/ordered.html",
        {"order": placed, "days": ORDER_LINK_LIFETIME.days, "today": timezone.localdate()},
    )


@never_cache
def confirm(request, signed):
    """GET shows the order to confirm (mail scanners open links); POST confirms it."""
    placed, expired = orders.signed_order(signed)
    if placed is None or (expired and not placed.confirmed):
        return render(request, "subscriptions/link_invalid.html", {"order": True}, status=410)
    if (
        request.method == "POST"
        and not placed.confirmed
        and orders.confirm(placed, base_url(request)) is not None
    ):
        return redirect(request.path)
    return render(
        request,
        "subscriptions/order_confirm.html",
        {"order": placed, "today": timezone.localdate()},
    )


def withdrawal_policy(request):
    """The Widerrufsbelehrung, linked at the order buttons: the same for everyone, no cookie.

    The statutory model text with the model form, one per kind of plan on offer.
    """
    plans = Plan.objects.filter(orderable=True)
    return render(request, "subscriptions/withdrawal_policy.html", {"plans": plans})
