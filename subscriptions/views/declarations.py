"""Kündigung and Widerruf: the forms, the receipt to see, print or download, "das war ich nicht".

Cancelling needs no login (§ 312k BGB): the form asks only what
identifies the person, the contract and the end, and its button sends it
at once. It needs no cookie either: the forms carry their own protection
against forgery (subscriptions.forgery) instead of Django's CSRF cookie.
"""

import hashlib

from django.conf import settings
from django.core import signing
from django.core.files.storage import storages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from portal.lib import ratelimit
from portal.lib.posts import nul_bytes_at_the_field
from subscriptions import declarations, forgery
from subscriptions.forms import CancellationForm, WithdrawalForm
from subscriptions.models import RECEIPT_SALT, Declaration, Subscriber, new_token
from subscriptions.views.common import base_url, current_subscriber


def _own_subscription(request, subscriber):
    """The subscription named by ?abo=<id> on the page: the subscriber's own, or 404 otherwise."""
    pk = request.GET.get("abo", "")
    if not pk:
        return None
    if subscriber is None or not pk.isascii() or not pk.isdigit():
        raise Http404
    return get_object_or_404(subscriber.subscriptions.select_related("plan"), pk=int(pk))


@csrf_exempt  # checked by subscriptions.forgery instead: the form works with cookies blocked
@nul_bytes_at_the_field
@never_cache
def cancel(request):
    """§ 312k BGB: the confirmation page, reachable from every page, with "jetzt kündigen"."""
    return _declare(request, CancellationForm, "subscriptions/cancel.html")


@csrf_exempt  # checked by subscriptions.forgery instead: the form works with cookies blocked
@nul_bytes_at_the_field
@never_cache
def withdraw(request):
    """§ 356a BGB: "Vertrag widerrufen" while the withdrawal period runs."""
    return _declare(request, WithdrawalForm, "subscriptions/withdraw.html")


def _declare(request, form_class, template):
    """The form; once valid, the declaration is recorded and its receipt shown, whoever sent it.

    Beyond the rate limit too: a declaration is never refused. It is then
    not matched automatically, and its mails wait in the outbox for staff.
    Nor is one from a form opened in the Aboverwaltung whose login has
    ended meanwhile: ``?abo=`` only preselects a contract on the page, and
    the form sent back offers the contracts of whom it was made for.
    What subscriptions.forgery refuses stores nothing and shows the form
    again, with everything typed.
    """
    subscriber = current_subscriber(request)
    if request.method != "POST":
        chosen = _own_subscription(request, subscriber)
        if form_class is WithdrawalForm and chosen is not None and not chosen.can_be_withdrawn():
            context = {"subscription": chosen}
            return render(request, "subscriptions/withdraw_unavailable.html", context)
        form = form_class(subscriber=subscriber, chosen=chosen)
        return render(request, template, {"form": form, "subscriber": subscriber})
    stamp = forgery.read(request.POST, form_class.scope)
    refusal = forgery.refusal(request, stamp)
    if refusal:
        form = form_class(
            _renewed(request.POST, form_class.scope, subscriber), subscriber=subscriber
        )
        context = {"form": form, "subscriber": subscriber, "refusal": refusal}
        return render(request, template, context, status=403)
    form = form_class(request.POST, subscriber=_made_for(stamp))
    if form.is_valid():
        data = form.cleaned_data
        held = ratelimit.exceeded(
            form.scope, ratelimit.client_address(request), data["identifier"]
        )
        declaration, _created = declarations.receive(
            data,
            base_url(request),
            subscriber=subscriber if stamp.vouches_for(subscriber) else None,
            held=held,
        )
        return redirect(declaration.get_absolute_url())
    return render(request, template, {"form": form, "subscriber": subscriber})


def _made_for(stamp):
    """The subscriber a form was made for, by its token: their contracts are its choices."""
    if stamp.subscriber_pk is None:
        return None
    return Subscriber.objects.filter(pk=stamp.subscriber_pk).first()


def _renewed(data, scope, subscriber):
    """The typed form data with a new submission key and its token: to send again at one click."""
    data = data.copy()
    data["submission"] = new_token()
    data[forgery.FIELD] = forgery.token(scope, data["submission"], subscriber)
    return data


def _declaration(token):
    """The declaration a receipt link names: signed (receipt_token) or, sent before, hashed."""
    declarations = Declaration.objects.select_related("confirmation")
    try:
        pk = signing.Signer(salt=RECEIPT_SALT).unsign(token)
    except signing.BadSignature:
        return get_object_or_404(declarations, token=hashlib.sha256(token.encode()).hexdigest())
    return get_object_or_404(declarations, pk=pk)


@never_cache
def not_me(request, signed):
    """The "das war ich nicht" link of a notice to the address on file: GET asks, POST records.

    GET changes nothing: mail servers open links to check them.
    """
    found = declarations.signed_dispute(signed)
    if found is None:
        context = {"SUBSCRIPTION_EMAIL": settings.SUBSCRIPTION_EMAIL}
        return render(request, "subscriptions/not_me.html", context, status=404)
    declaration, subscriber = found
    if request.method == "POST":
        declarations.dispute(declaration, subscriber, base_url(request))
    return render(request, "subscriptions/not_me.html", {"declaration": declaration})


@never_cache
def receipt(request, token):
    """The declaration as received, with date and time: to save, print or download."""
    declaration = _declaration(token)
    return render(request, "subscriptions/receipt.html", _receipt_context(declaration))


def _receipt_context(declaration):
    # What the declaration did is not shown here: whoever typed the form has
    # this page, and it must read the same whether or not a contract was found.
    return {"declaration": declaration}


@never_cache
def receipt_pdf(request, token):
    """The receipt as PDF: rendered once (it shows what was declared, not what it did),
    then read from private storage; rendered within the article PDFs' slots."""
    from portal.lib import pdf  # WeasyPrint loads only when a PDF is asked for

    # The link is checked on every request, whether the PDF is stored or not.
    declaration = _declaration(token)
    html = render_to_string(
        "subscriptions/receipt_pdf.html",
        {**_receipt_context(declaration), "portal_name": settings.PORTAL_NAME},
    )
    try:
        data, cached = pdf.get_or_render(
            f"receipts/{declaration.pk}", html, base_url(request), storage=storages["private"]
        )
    except pdf.RenderBusy:
        context = {"declaration": declaration}
        busy = render(request, "subscriptions/receipt_pdf_busy.html", context, status=503)
        busy["Retry-After"] = "5"
        return busy
    response = HttpResponse(data, content_type="application/pdf")
    kind = "widerruf" if declaration.kind == Declaration.Kind.WITHDRAWAL else "kuendigung"
    stamp = timezone.localtime(declaration.received_at).strftime("%Y-%m-%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="{kind}-{stamp}.pdf"'
    response["X-PDF-Cache"] = "hit" if cached else "miss"
    return response
