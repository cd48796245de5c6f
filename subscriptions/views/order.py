"""Ordering a subscription online, and the page that says it arrived."""

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from portal.lib import ratelimit
from subscriptions import contracts
from subscriptions.forms import OrderForm
from subscriptions.models import Subscription
from subscriptions.views.common import base_url, too_many


@never_cache
def order(request):
    form = OrderForm(request.POST or None, initial={"plan": request.GET.get("angebot")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        existing = Subscription.objects.filter(submission=data["submission"]).first()
        if existing is None:
            if ratelimit.exceeded("order", ratelimit.client_address(request), data["email"]):
                return too_many(request)
            existing = contracts.place_order(data, base_url(request))
        request.session["abo_ordered"] = existing.pk
        return redirect("subscriptions:ordered")
    return render(request, "subscriptions/order.html", {"form": form})


@never_cache
def ordered(request):
    pk = request.session.get("abo_ordered")
    subscription = get_object_or_404(
        Subscription.objects.select_related("plan", "subscriber"), pk=pk or 0
    )
    return render(request, "subscriptions/ordered.html", {"subscription": subscription})
