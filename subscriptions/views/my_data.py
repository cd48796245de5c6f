"""Meine Daten: a logged-in subscriber sees, prints and downloads what is held about them.

Only ever the data of the subscriber logged in on this browser: the
addresses carry no number of anyone's, so there is nothing to change in
them to see someone else's.
"""

from functools import wraps

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from subscriptions import disclosure
from subscriptions.views.common import current_subscriber


def _own_data(view):
    """The view gets what is held about the subscriber logged in; nobody logged in, the login."""

    @never_cache
    @wraps(view)
    def with_data(request):
        subscriber = current_subscriber(request)
        if subscriber is None:
            messages.info(request, _("Bitte melden Sie sich an, um Ihre Daten zu sehen."))
            return redirect("subscriptions:manage")
        return view(request, disclosure.gather(subscriber))

    return with_data


@_own_data
def my_data(request, data):
    """The page: everything held about the subscriber, readable and printable."""
    return render(request, "subscriptions/my_data.html", {"data": data})


@_own_data
def my_data_json(request, data):
    """The same as a JSON file to keep or take elsewhere (Art. 20 DSGVO)."""
    day = timezone.localdate(data["erstellt_am"])
    return disclosure.download(data, f"meine-daten-{day:%Y-%m-%d}.json")
