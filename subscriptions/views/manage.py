"""The Aboverwaltung: log in by a single-use link by e-mail, see the contracts, change details."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal.lib import ratelimit, tasks
from subscriptions import account, mail, terms
from subscriptions.forms import AddressForm, EmailForm, NewEmailForm
from subscriptions.models import LinkToken, Subscription
from subscriptions.views.common import SESSION_KEY, base_url, current_subscriber, log_in, too_many


@never_cache
def manage(request):
    """The dashboard for a logged-in subscriber; otherwise the request for a login link."""
    subscriber = current_subscriber(request)
    if subscriber is not None:
        return _dashboard(request, subscriber)
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        if ratelimit.exceeded("login", ratelimit.client_address(request), email):
            return too_many(request, "login")
        # The same answer whether the address is known or not, and as soon:
        # looking it up and writing the link or the note is the worker's task.
        tasks.enqueue(
            account.send_login_link, email, base_url(request), after_commit=mail.after_answer
        )
        request.session.pop(SESSION_KEY, None)
        return redirect(reverse("subscriptions:manage") + "?gesendet=1")
    return render(
        request,
        "subscriptions/login_request.html",
        {
            "form": form,
            "sent": request.GET.get("gesendet") == "1",
        },
    )


def _dashboard(request, subscriber, address_form=None, email_form=None):
    today = timezone.localdate()
    subscriptions = list(subscriber.subscriptions.select_related("plan").order_by("-starts_on"))
    for subscription in subscriptions:
        subscription.withdrawable = subscription.can_be_withdrawn(today)
        # Cancelled already or a fixed term, it can still end sooner (§ 314 BGB).
        subscription.cancellable = subscription.status != Subscription.Status.WITHDRAWN and (
            subscription.ends_on is None or subscription.ends_on >= today
        )
        if subscription.ends_on is None and subscription.status != Subscription.Status.WITHDRAWN:
            subscription.earliest_end = terms.cancellation_end(subscription, today)
    address_form = address_form or AddressForm(
        initial={field: getattr(subscriber, field) for field in AddressForm.base_fields}
    )
    return render(
        request,
        "subscriptions/dashboard.html",
        {
            "subscriber": subscriber,
            "subscriptions": subscriptions,
            "address_form": address_form,
            "email_form": email_form or NewEmailForm(),
            "today": today,
        },
    )


@never_cache
def login(request, secret):
    """GET asks to confirm (mail scanners open links); POST uses the link and logs in."""
    if request.method != "POST":
        link = LinkToken.valid(secret, LinkToken.Purpose.LOGIN)
        if link is None:
            return render(request, "subscriptions/link_invalid.html", status=410)
        return render(request, "subscriptions/login_confirm.html", {"subscriber": link.subscriber})
    link = LinkToken.redeem(secret, LinkToken.Purpose.LOGIN)
    if link is None:
        return render(request, "subscriptions/link_invalid.html", status=410)
    log_in(request, link.subscriber_id)
    return redirect("subscriptions:manage")


@require_POST
def logout(request):
    request.session.flush()
    messages.success(request, _("Sie sind abgemeldet."))
    return redirect("subscriptions:manage")


def _subscriber_or_login(request):
    subscriber = current_subscriber(request)
    if subscriber is None:
        messages.info(request, _("Bitte melden Sie sich erneut an, Ihre Sitzung ist abgelaufen."))
    return subscriber


@require_POST
@never_cache
def change_address(request):
    subscriber = _subscriber_or_login(request)
    if subscriber is None:
        return redirect("subscriptions:manage")
    form = AddressForm(request.POST)
    if not form.is_valid():
        return _dashboard(request, subscriber, address_form=form)
    for field, value in form.cleaned_data.items():
        setattr(subscriber, field, value.strip())
    subscriber.save(update_fields=list(form.cleaned_data))
    messages.success(request, _("Ihre Anschrift ist geändert."))
    return redirect("subscriptions:manage")


@require_POST
@never_cache
def change_email(request):
    """The new address must confirm itself: the link goes there, the change waits for it.

    The same answer and the same work whether or not the address belongs to
    another customer account.
    """
    subscriber = _subscriber_or_login(request)
    if subscriber is None:
        return redirect("subscriptions:manage")
    form = NewEmailForm(request.POST)
    if not form.is_valid():
        return _dashboard(request, subscriber, email_form=form)
    new_email = form.cleaned_data["email"].strip().lower()
    if ratelimit.exceeded("email", ratelimit.client_address(request), subscriber.customer_number):
        return too_many(request, "email")
    # Whether the address is another customer's is told when the link is used
    # (account.AddressTaken), never here.
    account.request_email_change(subscriber, new_email, base_url(request))
    messages.success(
        request,
        _(
            "Wir haben einen Bestätigungslink an %(email)s geschickt. "
            "Erst wenn Sie die Adresse über diesen Link bestätigen, gilt sie."
        )
        % {"email": new_email},
    )
    return redirect("subscriptions:manage")


@never_cache
def confirm_email(request, secret):
    if request.method != "POST":
        link = LinkToken.valid(secret, LinkToken.Purpose.EMAIL)
        if link is None:
            return render(request, "subscriptions/link_invalid.html", status=410)
        return render(request, "subscriptions/email_confirm.html", {"link": link})
    try:
        link = account.change_email(secret)
    except account.AddressTaken as taken:
        context = {"email": str(taken), "SUBSCRIPTION_EMAIL": settings.SUBSCRIPTION_EMAIL}
        return render(request, "subscriptions/email_taken.html", context, status=409)
    if link is None:
        return render(request, "subscriptions/link_invalid.html", status=410)
    messages.success(
        request,
        _("Ihre neue E-Mail-Adresse %(email)s gilt ab sofort.") % {"email": link.new_email},
    )
    return redirect("subscriptions:manage")
