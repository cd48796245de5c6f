"""The newsletter's pages: sign up, confirm by the link in the mail, unsubscribe."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from portal.lib import ratelimit
from subscriptions import newsletter
from subscriptions.forms import NEWSLETTER_WORDING, NewsletterForm
from subscriptions.views.common import base_url, too_many


@never_cache
def sign_up(request):
    wording = NEWSLETTER_WORDING.format(portal=settings.PORTAL_NAME)
    form = NewsletterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        address = ratelimit.client_address(request)
        if ratelimit.exceeded("newsletter", address, email):
            return too_many(request, "newsletter")
        newsletter.sign_up(email, wording, address, base_url(request))
        return redirect(reverse("subscriptions:newsletter") + "?angefordert=1")
    return render(
        request,
        "subscriptions/newsletter.html",
        {
            "form": form,
            "wording": wording,
            "requested": request.GET.get("angefordert") == "1",
        },
    )


@never_cache
def confirm(request, secret):
    consent = newsletter.pending_consent(secret)
    if consent is None:
        return render(request, "subscriptions/link_invalid.html", {"newsletter": True}, status=410)
    if request.method == "POST" and consent.confirmed_at is None:
        newsletter.confirm(consent, ratelimit.client_address(request))
    return render(
        request,
        "subscriptions/newsletter_confirm.html",
        {
            "consent": consent,
            "unsubscribe_url": newsletter.unsubscribe_path(consent),
        },
    )


@csrf_exempt  # RFC 8058: mail programs POST "List-Unsubscribe=One-Click" without a form of ours
@never_cache
def unsubscribe(request, signed):
    """One click in the mail program (POST), or the link in the mail (GET shows a button)."""
    consent = newsletter.signed_consent(signed)
    if consent is None:
        raise Http404
    if request.method == "POST":
        newsletter.unsubscribe(consent)
    return render(request, "subscriptions/newsletter_unsubscribe.html", {"consent": consent})
