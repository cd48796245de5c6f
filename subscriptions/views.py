"""Subscribers' pages: order, Aboverwaltung, Kündigung, Widerruf, newsletter.

Cancelling needs no login (§ 312k BGB): the form asks only what
identifies the person, the contract and the end, and its button sends it
at once. The Aboverwaltung logs in by a single-use link sent by e-mail.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from subscriptions import account, contracts, declarations, ratelimit, terms
from subscriptions import newsletter as newsletter_mail
from subscriptions.forms import (
    NEWSLETTER_WORDING,
    AddressForm,
    CancellationForm,
    EmailForm,
    NewEmailForm,
    NewsletterForm,
    OrderForm,
    WithdrawalForm,
)
from subscriptions.models import (
    Declaration,
    LinkToken,
    Subscriber,
    Subscription,
)

SESSION_KEY = "abo_subscriber"
# A login lasts an hour of inactivity at most, and ends with the browser.
SESSION_SECONDS = 3600


def _base_url(request):
    return request.build_absolute_uri("/")


def current_subscriber(request):
    """The subscriber logged in on this browser, or None."""
    pk = request.session.get(SESSION_KEY)
    return Subscriber.objects.filter(pk=pk).first() if pk else None


def _own_subscription(request, subscriber):
    """The subscription named by ?abo=<id>: the subscriber's own, or 404 for anybody else's."""
    pk = request.GET.get("abo", "")
    if not pk:
        return None
    if subscriber is None or not pk.isascii() or not pk.isdigit():
        raise Http404
    return get_object_or_404(subscriber.subscriptions.select_related("plan"), pk=int(pk))


def _too_many(request):
    context = {"SUBSCRIPTION_EMAIL": settings.SUBSCRIPTION_EMAIL}
    return render(request, "subscriptions/too_many.html", context, status=429)


# Aboverwaltung


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
            return _too_many(request)
        account.send_login_link(email, _base_url(request))
        # The same answer whether the address is known or not.
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
    request.session.cycle_key()
    request.session[SESSION_KEY] = link.subscriber_id
    request.session.set_expiry(SESSION_SECONDS)
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
    """The new address must confirm itself: the link goes there, the change waits for it."""
    subscriber = _subscriber_or_login(request)
    if subscriber is None:
        return redirect("subscriptions:manage")
    form = NewEmailForm(request.POST)
    if not form.is_valid():
        return _dashboard(request, subscriber, email_form=form)
    new_email = form.cleaned_data["email"].strip().lower()
    if ratelimit.exceeded("email", ratelimit.client_address(request), subscriber.customer_number):
        return _too_many(request)
    if account.email_taken(new_email, subscriber):
        form.add_error("email", _("Diese Adresse gehört schon zu einem anderen Kundenkonto."))
        return _dashboard(request, subscriber, email_form=form)
    account.request_email_change(subscriber, new_email, _base_url(request))
    messages.success(
        request,
        _(
            "Wir haben einen Bestätigungslink an %(email)s geschickt. "
            "Erst nach dem Klick darauf gilt die neue Adresse."
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
    link = account.change_email(secret)
    if link is None:
        return render(request, "subscriptions/link_invalid.html", status=410)
    messages.success(
        request,
        _("Ihre neue E-Mail-Adresse %(email)s gilt ab sofort.") % {"email": link.new_email},
    )
    return redirect("subscriptions:manage")


# Kündigung and Widerruf


@never_cache
def cancel(request):
    """§ 312k BGB: the confirmation page, reachable from every page, with "jetzt kündigen"."""
    subscriber = current_subscriber(request)
    chosen = _own_subscription(request, subscriber)
    form = CancellationForm(request.POST or None, subscriber=subscriber, chosen=chosen)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if ratelimit.exceeded("cancel", ratelimit.client_address(request), data["identifier"]):
            return _too_many(request)
        declaration, _created = declarations.receive(
            data["kind"], data, _base_url(request), subscriber=subscriber
        )
        return redirect(declaration.get_absolute_url(), permanent=False)
    return render(request, "subscriptions/cancel.html", {"form": form, "subscriber": subscriber})


@never_cache
def withdraw(request):
    """§ 356a BGB: "Vertrag widerrufen" while the withdrawal period runs."""
    subscriber = current_subscriber(request)
    chosen = _own_subscription(request, subscriber)
    if chosen is not None and not chosen.can_be_withdrawn():
        return render(request, "subscriptions/withdraw_unavailable.html", {"subscription": chosen})
    form = WithdrawalForm(request.POST or None, subscriber=subscriber, chosen=chosen)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if ratelimit.exceeded("withdraw", ratelimit.client_address(request), data["identifier"]):
            return _too_many(request)
        declaration, _created = declarations.receive(
            Declaration.Kind.WITHDRAWAL, data, _base_url(request), subscriber=subscriber
        )
        return redirect(declaration.get_absolute_url())
    return render(request, "subscriptions/withdraw.html", {"form": form, "subscriber": subscriber})


def _declaration(token):
    return get_object_or_404(Declaration.objects.select_related("confirmation"), token=token)


@never_cache
def receipt(request, token):
    """The declaration as received, with date and time: to save, print or download."""
    declaration = _declaration(token)
    return render(request, "subscriptions/receipt.html", _receipt_context(declaration))


def _receipt_context(declaration):
    return {
        "declaration": declaration,
        "effects": list(declaration.effects.select_related("subscription__plan")),
    }


@never_cache
def receipt_pdf(request, token):
    from articles.pdf import render as render_pdf  # WeasyPrint loads only when a PDF is asked for

    declaration = _declaration(token)
    html = render_to_string(
        "subscriptions/receipt_pdf.html",
        {**_receipt_context(declaration), "portal_name": settings.PORTAL_NAME},
    )
    response = HttpResponse(render_pdf(html, _base_url(request)), content_type="application/pdf")
    kind = "widerruf" if declaration.kind == Declaration.Kind.WITHDRAWAL else "kuendigung"
    stamp = timezone.localtime(declaration.received_at).strftime("%Y-%m-%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="{kind}-{stamp}.pdf"'
    return response


# Ordering


@never_cache
def order(request):
    form = OrderForm(request.POST or None, initial={"plan": request.GET.get("angebot")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        existing = Subscription.objects.filter(submission=data["submission"]).first()
        if existing is None:
            if ratelimit.exceeded("order", ratelimit.client_address(request), data["email"]):
                return _too_many(request)
            existing = contracts.place_order(data, _base_url(request))
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


# Newsletter


@never_cache
def newsletter(request):
    wording = NEWSLETTER_WORDING.format(portal=settings.PORTAL_NAME)
    form = NewsletterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        address = ratelimit.client_address(request)
        if ratelimit.exceeded("newsletter", address, email):
            return _too_many(request)
        newsletter_mail.sign_up(email, wording, address, _base_url(request))
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
def newsletter_confirm(request, secret):
    consent = newsletter_mail.pending_consent(secret)
    if consent is None:
        return render(request, "subscriptions/link_invalid.html", {"newsletter": True}, status=410)
    if request.method == "POST" and consent.confirmed_at is None:
        newsletter_mail.confirm(consent, ratelimit.client_address(request))
    return render(
        request,
        "subscriptions/newsletter_confirm.html",
        {
            "consent": consent,
            "unsubscribe_url": newsletter_mail.unsubscribe_path(consent),
        },
    )


@csrf_exempt  # RFC 8058: mail programs POST "List-Unsubscribe=One-Click" without a form of ours
@never_cache
def newsletter_unsubscribe(request, signed):
    """One click in the mail program (POST), or the link in the mail (GET shows a button)."""
    consent = newsletter_mail.signed_consent(signed)
    if consent is None:
        raise Http404
    if request.method == "POST":
        newsletter_mail.unsubscribe(consent)
    return render(request, "subscriptions/newsletter_unsubscribe.html", {"consent": consent})
