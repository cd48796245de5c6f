from django.conf import settings
from django.shortcuts import render


def manage(request):
    """Aboverwaltung: how subscribers reach the subscription service today."""
    return render(request, "subscriptions/manage.html", _contact())


def cancel(request):
    """Abonnement kündigen: how to cancel until the online form exists."""
    return render(request, "subscriptions/cancel.html", _contact())


def _contact():
    return {"SUBSCRIPTION_EMAIL": settings.SUBSCRIPTION_EMAIL}
