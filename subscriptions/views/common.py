"""What the subscribers' pages share: who is logged in here, and the answer to a flood."""

import time

from django.conf import settings
from django.shortcuts import render

from subscriptions.models import Subscriber

SESSION_KEY = "abo_subscriber"
# When the subscriber was last seen (Unix seconds), for the hour below.
SEEN_KEY = "abo_seen"
# A login lasts an hour of inactivity at most, and ends with the browser.
SESSION_SECONDS = 3600


def base_url(request):
    return request.build_absolute_uri("/")


def log_in(request, subscriber_id):
    """Log the subscriber in on this browser, until it closes or an hour passes unused.

    The cookie ends with the browser; the hour is kept in the session on the
    server, since a browser that restores its tabs keeps such cookies, and a
    cookie's own expiry is the browser's to honour.
    """
    request.session.cycle_key()
    request.session[SESSION_KEY] = subscriber_id
    request.session[SEEN_KEY] = int(time.time())
    request.session.set_expiry(0)


def current_subscriber(request):
    """The subscriber logged in on this browser, or None (also after an hour unused)."""
    pk = request.session.get(SESSION_KEY)
    if not pk:
        return None
    now = int(time.time())
    seen = request.session.get(SEEN_KEY, 0)
    if not 0 <= now - seen < SESSION_SECONDS:
        request.session.pop(SESSION_KEY, None)
        request.session.pop(SEEN_KEY, None)
        return None
    if now - seen >= 60:  # a session write per minute of use at most, not per request
        request.session[SEEN_KEY] = now
    return Subscriber.objects.filter(pk=pk).first()


def too_many(request, scope):
    """The 429 page of the form whose rate limit ``scope`` (portal.lib.ratelimit) was exceeded.

    It speaks of that form (a newsletter sign-up is not told about cancelling)
    and leads back to it.
    """
    context = {"limited": scope, "SUBSCRIPTION_EMAIL": settings.SUBSCRIPTION_EMAIL}
    return render(request, "subscriptions/too_many.html", context, status=429)
