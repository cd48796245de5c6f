"""Everything held about a subscriber (Art. 15 and 20 DSGVO), in one structure.

gather() is the one source for the subscriber's page "Meine Daten", its JSON
file, and the staff's answer to a request by post (admin, "Datenauskunft"):
what one shows, the others show. Its queries do not grow with the number
of contracts, declarations or mails (one per kind of record).

The JSON file (as_json) has this structure, version ``FORMAT``; keys are
only ever added, never renamed or dropped, within a version. Times are
ISO 8601 with the offset of Europe/Berlin, days ISO 8601 dates, amounts
strings ("89.00"); a value not set is null. Fields with a code (``status``,
``art``, ``ergebnis``, ``zustand``, ``zweck``) also carry its German wording
in ``..._text``.

    format, portal, erstellt_am
    kunde: kundennummer, email, angelegt_am,
           anschrift {name, organisation, strasse, plz, ort}
    vertraege[]: nummer, angebot, art, art_text, status, status_text, online_bestellt,
           vertragsschluss, beginn, mindestlaufzeit_bis, kuendigungsfrist_monate,
           verlaengert_sich, preis_eur, versandkosten_eur, endet_am, angenommen_am,
           widerrufsbelehrung_erteilt_am, erste_ausgabe_erhalten_am, angelegt_am
    bestellungen[]: eingegangen_am, angebot, email, anschrift {...}, bestaetigt_am, vertrag
    adressaenderungen[]: eingegangen_am, anschrift {...}, status, status_text,
           entschieden_am, bisherige_anschrift
    erklaerungen[]: art, art_text, eingegangen_am, name, kundennummer_oder_email, vertrag,
           gewuenschtes_ende, grund, email, bestritten_am,
           wirkungen[] {vertrag, angebot, ergebnis, ergebnis_text, vertragsende}
    newsletter_einwilligungen[]: email, eingewilligter_text, angefordert_am,
           angefordert_von_ip, bestaetigt_am, bestaetigt_von_ip, abgemeldet_am
    links[]: zweck, zweck_text, angefordert_am, verwendet_am, neue_email
    emails[]: anlass, an, betreff, angelegt_am, versendet_am, zustand, zustand_text,
           text, html, anhaenge[] {dateiname, typ, inhalt}

What belongs to a subscriber: the records linked to them, and those kept
under their current e-mail address (orders, newsletter consents, mails);
mails to an address they no longer use are not found by it. Link secrets
are kept only as hashes and are not part of it.
"""

import datetime
import json
from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from subscriptions.models import (
    Declaration,
    Effect,
    LinkToken,
    NewsletterConsent,
    Order,
    OutgoingMail,
)

FORMAT = "datenauskunft/1"


def gather(subscriber, now=None):
    """What is held about ``subscriber``, as plain data: dicts, lists, dates, times, decimals."""
    email = subscriber.email
    contracts = subscriber.subscriptions.select_related("plan").order_by("concluded_on", "pk")
    orders = (
        Order.objects.filter(Q(subscription__subscriber=subscriber) | Q(email=email))
        .select_related("plan")
        .order_by("received_at", "pk")
    )
    effects = Effect.objects.select_related("subscription__plan").order_by("pk")
    declarations = (
        Declaration.objects.filter(Q(subscriber=subscriber) | Q(disputed_by=subscriber))
        .prefetch_related(Prefetch("effects", queryset=effects))
        .order_by("received_at", "pk")
    )
    # Confirmations of declarations went to the address typed in the form, maybe another one.
    confirmations = Declaration.objects.filter(
        subscriber=subscriber, confirmation__isnull=False
    ).values("confirmation")
    mails = OutgoingMail.objects.filter(Q(to__iexact=email) | Q(pk__in=confirmations)).order_by(
        "created_at", "pk"
    )
    return {
        "format": FORMAT,
        "portal": settings.PORTAL_NAME,
        "erstellt_am": now or timezone.now(),
        "kunde": {
            "kundennummer": subscriber.customer_number,
            "email": subscriber.email,
            "angelegt_am": subscriber.created_at,
            "anschrift": _address(subscriber),
        },
        "vertraege": [_contract(contract) for contract in contracts],
        "bestellungen": [_order(order) for order in orders],
        "adressaenderungen": [
            _address_change(change)
            for change in subscriber.address_changes.order_by("created_at", "pk")
        ],
        "erklaerungen": [_declaration(declaration) for declaration in declarations],
        "newsletter_einwilligungen": [
            _consent(consent)
            for consent in NewsletterConsent.objects.filter(email=email).order_by(
                "requested_at", "pk"
            )
        ],
        "links": [
            _link(link)
            for link in LinkToken.objects.filter(subscriber=subscriber).order_by(
                "created_at", "pk"
            )
        ],
        "emails": [_mail(mail) for mail in mails],
    }


class _Encoder(DjangoJSONEncoder):
    """Times in Europe/Berlin with their offset, to the second; amounts as strings."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            return timezone.localtime(o).isoformat(timespec="seconds")
        if isinstance(o, Decimal):
            return str(o)
        return super().default(o)


def as_json(data):
    """The data of gather() as the JSON file: UTF-8, indented, umlauts as they are."""
    return json.dumps(data, cls=_Encoder, ensure_ascii=False, indent=2)


def _address(record):
    return {
        "name": record.name,
        "organisation": record.organisation,
        "strasse": record.street,
        "plz": record.postcode,
        "ort": record.city,
    }


def _contract(contract):
    return {
        "nummer": contract.pk,
        "angebot": contract.plan.name,
        "art": contract.plan.kind,
        "art_text": contract.plan.get_kind_display(),
        "status": contract.status,
        "status_text": contract.get_status_display(),
        "online_bestellt": contract.ordered_online,
        "vertragsschluss": contract.concluded_on,
        "beginn": contract.starts_on,
        "mindestlaufzeit_bis": contract.minimum_term_ends,
        "kuendigungsfrist_monate": contract.notice_months,
        "verlaengert_sich": contract.renews,
        "preis_eur": contract.price,
        "versandkosten_eur": contract.shipping,
        "endet_am": contract.ends_on,
        "angenommen_am": contract.accepted_at,
        "widerrufsbelehrung_erteilt_am": contract.withdrawal_informed_on,
        "erste_ausgabe_erhalten_am": contract.first_issue_received_on,
        "angelegt_am": contract.created_at,
    }


def _order(order):
    return {
        "eingegangen_am": order.received_at,
        "angebot": order.plan.name,
        "email": order.email,
        "anschrift": _address(order),
        "bestaetigt_am": order.confirmed_at,
        "vertrag": order.subscription_id,
    }


def _address_change(change):
    return {
        "eingegangen_am": change.created_at,
        "anschrift": _address(change),
        "status": change.status,
        "status_text": change.get_status_display(),
        "entschieden_am": change.decided_at,
        "bisherige_anschrift": change.previous,
    }


def _declaration(declaration):
    return {
        "art": declaration.kind,
        "art_text": declaration.get_kind_display(),
        "eingegangen_am": declaration.received_at,
        "name": declaration.name,
        "kundennummer_oder_email": declaration.identifier,
        "vertrag": declaration.contract,
        "gewuenschtes_ende": declaration.requested_end,
        "grund": declaration.reason,
        "email": declaration.email,
        "bestritten_am": declaration.disputed_at,
        "wirkungen": [
            {
                "vertrag": effect.subscription_id,
                "angebot": effect.subscription.plan.name,
                "ergebnis": effect.outcome,
                "ergebnis_text": effect.get_outcome_display(),
                "vertragsende": effect.ends_on,
            }
            for effect in declaration.effects.all()
        ],
    }


def _consent(consent):
    return {
        "email": consent.email,
        "eingewilligter_text": consent.wording,
        "angefordert_am": consent.requested_at,
        "angefordert_von_ip": consent.requested_from,
        "bestaetigt_am": consent.confirmed_at,
        "bestaetigt_von_ip": consent.confirmed_from,
        "abgemeldet_am": consent.unsubscribed_at,
    }


def _link(link):
    return {
        "zweck": link.purpose,
        "zweck_text": link.get_purpose_display(),
        "angefordert_am": link.created_at,
        "verwendet_am": link.used_at,
        "neue_email": link.new_email,
    }


def _mail(mail):
    return {
        "anlass": mail.purpose,
        "an": mail.to,
        "betreff": mail.subject,
        "angelegt_am": mail.created_at,
        "versendet_am": mail.sent_at,
        "zustand": mail.state,
        "zustand_text": mail.get_state_display(),
        "text": mail.body_text,
        "html": mail.body_html,
        "anhaenge": [
            {"dateiname": a.get("filename"), "typ": a.get("mimetype"), "inhalt": a.get("content")}
            for a in mail.attachments
        ],
    }


def download(data, filename):
    """The JSON file as an attachment, never cached on the way."""
    response = HttpResponse(as_json(data), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, private=True, no_store=True)
    return response
