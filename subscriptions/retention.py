"""Personal data kept only as long as needed (GDPR Art. 5 (1) e): the retention rules.

Each rule is one UPDATE or DELETE over what has passed its period, as of
``now``; purge() applies them all and says what it did. The periods are
settings (PORTAL_RETENTION_*), named in the README and the sample
Datenschutzerklärung. The worker runs purge() daily (purge_personal_data
below); ``manage.py purge_personal_data --dry-run`` counts without changing.

Subscribers of ended contracts and declarations are anonymised after the
statutory periods, in place (subscriptions.erasure says which law keeps
what, and for how long); a subscriber erased on request (Art. 17 GDPR) is
taken care of by the same functions.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from portal.lib import tasks
from portal.lib.tasks import task
from subscriptions import erasure
from subscriptions.models import (
    ANONYMISED_DECLARATION,
    ERASED_EMAIL_DOMAIN,
    AccessLog,
    Declaration,
    Effect,
    NewsletterConsent,
    OutgoingMail,
)

# What a mail's body says once its period is over; the envelope stays.
BODY_PURGED = "[Inhalt nach Ablauf der Aufbewahrungsfrist gelöscht]"


def rules(now):
    """(what it does, the queryset it concerns, how) for each rule, as of ``now``."""
    days = datetime.timedelta(days=1)
    unconfirmed = NewsletterConsent.objects.filter(
        confirmed_at__isnull=True,
        requested_at__lt=now - settings.RETENTION_UNCONFIRMED_SIGNUP_DAYS * days,
    )
    ended_consents = NewsletterConsent.objects.filter(
        unsubscribed_at__lt=now - settings.RETENTION_CONSENT_IP_YEARS * 365 * days,
    ).exclude(requested_from__isnull=True, confirmed_from__isnull=True)
    given_up = OutgoingMail.objects.filter(
        state=OutgoingMail.State.FAILED,
        next_attempt_at__lt=now - settings.RETENTION_MAIL_BODY_DAYS * days,
    ).exclude(body_text=BODY_PURGED)
    sent_bodies = (
        OutgoingMail.objects.filter(
            state=OutgoingMail.State.SENT,
            sent_at__lt=now - settings.RETENTION_MAIL_BODY_DAYS * days,
        )
        .exclude(body_text=BODY_PURGED)
        .exclude(purpose__in=erasure.BUSINESS_LETTERS)
    )
    # Copies of sent Handelsbriefe: whole until their period is over, then recipient and text go.
    letters_over = (
        erasure.sent_business_letters()
        .filter(
            sent_at__lt=erasure.midnight(erasure.cutoff(now, settings.RETENTION_DECLARATION_YEARS))
        )
        .exclude(body_text=BODY_PURGED)
    )
    # Years counted from the end of the calendar year (subscriptions.erasure).
    contact_over = erasure.ended_before(
        erasure.cutoff(now, settings.RETENTION_CONTACT_YEARS)
    ).filter(contact_erased_at__isnull=True)
    booking_over = erasure.ended_before(
        erasure.cutoff(now, settings.RETENTION_BOOKING_YEARS)
    ).filter(anonymised_at__isnull=True)
    # A declaration waits for both: its own period as a Handelsbrief, and the
    # limitation of claims about the end it gave a contract.
    claims_open = Effect.objects.filter(
        declaration=OuterRef("pk"),
        ends_on__gte=erasure.cutoff(now, settings.RETENTION_CONTACT_YEARS),
    )
    declarations_over = (
        Declaration.objects.filter(
            received_at__lt=erasure.midnight(
                erasure.cutoff(now, settings.RETENTION_DECLARATION_YEARS)
            )
        )
        .exclude(Exists(claims_open))
        .exclude(**ANONYMISED_DECLARATION)
    )
    # The confirmation of an erasure keeps its recipient only until it is out.
    erasures_out = OutgoingMail.objects.filter(
        purpose=erasure.ERASURE_PURPOSE,
        state__in=[OutgoingMail.State.SENT, OutgoingMail.State.FAILED],
    ).exclude(to__endswith=f"@{ERASED_EMAIL_DOMAIN}")
    return [
        ("unbestätigte Newsletter-Anmeldungen gelöscht", unconfirmed, lambda qs: qs.delete()[0]),
        (
            "IP-Adressen beendeter Newsletter-Einwilligungen gelöscht",
            ended_consents,
            lambda qs: qs.update(requested_from=None, confirmed_from=None),
        ),
        (
            "Texte versendeter oder aufgegebener E-Mails gelöscht "
            "(Empfänger, Betreff, Datum bleiben)",
            sent_bodies | given_up,
            lambda qs: qs.update(body_text=BODY_PURGED, body_html="", headers={}),
        ),
        (
            "Kopien versandter Vertrags- und Eingangsbestätigungen gelöscht "
            "(Aufbewahrungsfrist der Handelsbriefe vorbei; Betreff und Datum bleiben)",
            letters_over,
            lambda qs: qs.update(
                to=erasure.erased_email("mail"),
                body_text=BODY_PURGED,
                body_html="",
                headers={},
                attachments=[],
            ),
        ),
        (
            "Empfänger und Text versendeter Löschbestätigungen gelöscht",
            erasures_out,
            lambda qs: qs.update(
                to=erasure.erased_email("mail"),
                body_text=erasure.BODY_ERASED,
                body_html="",
                headers={},
            ),
        ),
        (
            "E-Mail-Adressen ehemaliger Abonnenten gelöscht (Verjährungsfrist vorbei)",
            contact_over,
            lambda qs: erasure.forget_contact(qs, now),
        ),
        (
            "ehemalige Abonnenten anonymisiert (Aufbewahrungsfrist der Buchungsbelege vorbei; "
            "Kundennummer und Vertragsdaten bleiben)",
            booking_over,
            lambda qs: erasure.anonymise(qs, now),
        ),
        (
            "Kündigungen und Widerrufe anonymisiert (Aufbewahrungsfrist der Handelsbriefe vorbei)",
            declarations_over,
            erasure.anonymise_declarations,
        ),
        (
            "Einträge im Zugriffsprotokoll gelöscht",
            AccessLog.objects.filter(at__lt=now - settings.RETENTION_ACCESS_LOG_DAYS * days),
            lambda qs: AccessLog.purge(qs, settings.RETENTION_ACCESS_LOG_DAYS),
        ),
    ]


def purge(now=None, dry_run=False):
    """Apply every rule; return [(what, how many)]."""
    now = now or timezone.now()
    done = []
    with transaction.atomic():
        for what, queryset, apply in rules(now):
            done.append((what, queryset.count() if dry_run else apply(queryset)))
    return done


@tasks.every(datetime.timedelta(days=1))
@tasks.named("Personenbezogene Daten nach Frist löschen")
@task()
def purge_personal_data():
    return dict(purge())
