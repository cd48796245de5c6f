"""Kündigung and Widerruf: the forms, and the receipt to see, print or download.

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
from subscriptions.views.common import base_url, current_subscriber, too_many


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
    subscriber = current_subscriber(request)
    chosen = _own_subscription(request, subscriber)
    form = CancellationForm(request.POST or None, subscriber=subscriber, chosen=chosen)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if ratelimit.exceeded("cancel", ratelimit.client_address(request), data["identifier"]):
            return too_many(request)
        declaration, _created = declarations.receive(
            data["kind"], data, base_url(request), subscriber=subscriber
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
            return too_many(request)
        declaration, _created = declarations.receive(
            Declaration.Kind.WITHDRAWAL, data, base_url(request), subscriber=subscriber
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
    """The receipt as PDF: rendered once per version (a later match adds the contract's
    end), then read from private storage; rendered within the article PDFs' slots."""
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
