"""Datenauskunft (Art. 15 DSGVO) by staff, for a request received by post: the subscriber's
own page "Meine Daten" to print and send, and the same as a JSON file."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone

from subscriptions import disclosure
from subscriptions.admin.access import logged
from subscriptions.models import AccessLog, Subscriber


def _subscriber(request, pk):
    if not request.user.has_perm("subscriptions.disclose_subscriber"):
        raise PermissionDenied
    return get_object_or_404(Subscriber, pk=pk)


def disclosure_page(request, pk):
    subscriber = _subscriber(request, pk)
    data = disclosure.gather(subscriber)
    logged(request, AccessLog.Action.DISCLOSURE, subscriber)
    return TemplateResponse(
        request,
        "admin/subscriptions/subscriber/disclosure.html",
        {"data": data, "subscriber": subscriber},
    )


def disclosure_json(request, pk):
    subscriber = _subscriber(request, pk)
    data = disclosure.gather(subscriber)
    logged(request, AccessLog.Action.DISCLOSURE_JSON, subscriber)
    day = timezone.localdate(data["erstellt_am"])
    return disclosure.download(
        data, f"datenauskunft-{subscriber.customer_number}-{day:%Y-%m-%d}.json"
    )
