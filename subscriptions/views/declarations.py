"""Kündigung and Widerruf: the forms, the receipt to see, print or download, "das war ich nicht".

Cancelling needs no login (§ 312k BGB): the form asks only what
identifies the person, the contract and the end, and its button sends it
at once.
"""

from django.conf import settings
from django.core.files.storage import storages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache

from portal.lib import ratelimit
from subscriptions import declarations
from subscriptions.forms import CancellationForm, WithdrawalForm
from subscriptions.models import Declaration
from subscriptions.views.common import base_url, current_subscriber


def _own_subscription(request, subscriber):
    """The subscription named by ?abo=<id>: the subscriber's own, or 404 for anybody else's."""
    pk = request.GET.get("abo", "")
    if not pk:
        return None
    if subscriber is None or not pk.isascii() or not pk.isdigit():
        raise Http404
    return get_object_or_404(subscriber.subscriptions.select_related("plan"), pk=int(pk))


@never_cache
def cancel(request):
    """§ 312k BGB: the confirmation page, reachable from every page, with "jetzt kündigen"."""
    return _declare(request, CancellationForm, "subscriptions/cancel.html", limit="cancel")


@never_cache
def withdraw(request):
    """§ 356a BGB: "Vertrag widerrufen" while the withdrawal period runs."""
    return _declare(request, WithdrawalForm, "subscriptions/withdraw.html", limit="withdraw")


def _declare(request, form_class, template, limit):
    """The form; once valid, the declaration is recorded and its receipt shown, whoever sent it.

    Beyond the rate limit too: a declaration is never refused. It is then
    not matched automatically, and its mails wait in the outbox for staff.
    """
    subscriber = current_subscriber(request)
    chosen = _own_subscription(request, subscriber)
    if form_class is WithdrawalForm and chosen is not None and not chosen.can_be_withdrawn():
        return render(request, "subscriptions/withdraw_unavailable.html", {"subscription": chosen})
    form = form_class(request.POST or None, subscriber=subscriber, chosen=chosen)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        held = ratelimit.exceeded(limit, ratelimit.client_address(request), data["identifier"])
        declaration, _created = declarations.receive(
            data, base_url(request), subscriber=subscriber, held=held
        )
        return redirect(declaration.get_absolute_url())
    return render(request, template, {"form": form, "subscriber": subscriber})


def _declaration(token):
    return get_object_or_404(Declaration.objects.select_related("confirmation"), token=token)


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
