"""Personal data kept only as long as needed (GDPR Art. 5 (1) e): the retention rules.

Each rule is one UPDATE or DELETE over what has passed its period, as of
``now``; purge() applies them all and says what it did. The periods are
settings (PORTAL_RETENTION_*), named in the README and the sample
Datenschutzerklärung. The worker runs purge() daily (purge_personal_data
below); ``manage.py purge_personal_data --dry-run`` counts without changing.

Still to come (issue 20, point 2): subscribers of ended contracts and
declarations, anonymised after the statutory periods.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.lib import tasks
from portal.lib.tasks import task
from subscriptions.models import AccessLog, NewsletterConsent, OutgoingMail

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
    sent_bodies = OutgoingMail.objects.filter(
        state=OutgoingMail.State.SENT,
        sent_at__lt=now - settings.RETENTION_MAIL_BODY_DAYS * days,
    ).exclude(body_text=BODY_PURGED)
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
