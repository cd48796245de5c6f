"""What the subscribers' pages share: who is logged in here, and the answer to a flood."""

from django.conf import settings
from django.shortcuts import render

from subscriptions.models import Subscriber

SESSION_KEY = "abo_subscriber"


def base_url(request):
    return request.build_absolute_uri("/")


def current_subscriber(request):
    """The subscriber logged in on this browser, or None."""
    pk = request.session.get(SESSION_KEY)
    return Subscriber.objects.filter(pk=pk).first() if pk else None


def too_many(request):
    context = {"SUBSCRIPTION_EMAIL": settings.SUBSCRIPTION_EMAIL}
    return render(request, "subscriptions/too_many.html", context, status=429)
