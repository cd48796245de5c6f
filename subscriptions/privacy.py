"""What the Datenschutzerklärung must say of this installation, from its settings.

The Chefredaktion edits the Datenschutzerklärung's text (portal.LegalText);
under it the page shows what only the configuration knows and what must
never drift from it (GDPR Art. 13 (1) e, (2) a): how long each kind of
personal data is kept (the periods subscriptions.retention applies), who
receives data (the mail server, an S3 provider when pictures live there) and
whom to ask. Changing a setting changes the page; no text to forget.
"""

from typing import NamedTuple

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class Period(NamedTuple):
    what: str
    kept: str


class Recipient(NamedTuple):
    who: str
    why: str


def days(n):
    return ngettext("%(n)d Tag", "%(n)d Tage", n) % {"n": n}


def years(n):
    return ngettext("%(n)d Jahr", "%(n)d Jahre", n) % {"n": n}


def periods():
    """What is kept how long, in the order of the retention rules."""
    return [
        Period(
            _(
                "Newsletter-Anmeldungen, die nie bestätigt wurden, "
                "mit der IP-Adresse der Anmeldung"
            ),
            days(settings.RETENTION_UNCONFIRMED_SIGNUP_DAYS),
        ),
        Period(
            _(
                "IP-Adressen, mit denen eine Newsletter-Einwilligung erteilt und bestätigt wurde "
                "(Nachweis der Einwilligung); Zeitpunkte und Wortlaut bleiben"
            ),
            _("%(years)s nach dem Ende der Einwilligung (Verjährungsfrist)")
            % {"years": years(settings.RETENTION_CONSENT_IP_YEARS)},
        ),
        Period(
            _(
                "Text der E-Mails, die wir Ihnen geschickt haben; "
                "Empfänger, Betreff und Datum bleiben"
            ),
            _("%(days)s nach dem Versand") % {"days": days(settings.RETENTION_MAIL_BODY_DAYS)},
        ),
        Period(
            _(
                "Nach dem Ende Ihres letzten Abonnements: Ihre E-Mail-Adresse, "
                "Newsletter-Einwilligungen und die E-Mails an Sie"
            ),
            _("%(years)s ab Ende des Jahres, in dem der Vertrag endete (Verjährungsfrist)")
            % {"years": years(settings.RETENTION_CONTACT_YEARS)},
        ),
        Period(
            _(
                "Nach dem Ende Ihres letzten Abonnements: Name, Anschriften und Vertragsdaten "
                "als Grundlage der Rechnungen (§ 147 AO, § 257 HGB); danach anonymisiert"
            ),
            _("%(years)s ab Ende des Jahres, in dem der Vertrag endete")
            % {"years": years(settings.RETENTION_BOOKING_YEARS)},
        ),
        Period(
            _(
                "Kündigungen und Widerrufe sowie die E-Mails, mit denen wir Verträge und "
                "Erklärungen bestätigt haben (Handelsbriefe, § 257 HGB, § 147 AO); danach "
                "anonymisiert oder gelöscht"
            ),
            _("%(years)s ab Ende des Jahres, in dem sie eingingen oder versandt wurden")
            % {"years": years(settings.RETENTION_DECLARATION_YEARS)},
        ),
        Period(
            _(
                "Protokoll, welche Mitarbeiterin oder welcher Mitarbeiter Ihre Abonnentendaten "
                "angesehen oder exportiert hat"
            ),
            days(settings.RETENTION_ACCESS_LOG_DAYS),
        ),
        Period(
            _(
                "Zähler gegen massenhaftes Absenden von Formularen und Anmeldeversuchen "
                "(IP-Adresse und E-Mail-Adresse nur als verschlüsselter Schlüssel)"
            ),
            _("1 Stunde"),
        ),
    ]


def recipients():
    """Who receives personal data besides the publisher, as configured."""
    found = []
    if getattr(settings, "EMAIL_HOST", "") and "smtp" in settings.EMAIL_BACKEND:
        found.append(
            Recipient(
                _("Betreiber des Mailservers %(host)s") % {"host": settings.EMAIL_HOST},
                _(
                    "Versand der E-Mails zu Abonnement, Aboverwaltung und Newsletter "
                    "(E-Mail-Adresse, Inhalt der E-Mail)"
                ),
            )
        )
    if getattr(settings, "S3_BUCKET", ""):
        host = settings.S3_DOMAIN or settings.S3_ENDPOINT or "Amazon Web Services (Amazon S3)"
        found.append(
            Recipient(
                _("Speicheranbieter der Bilder (%(host)s)") % {"host": host},
                _(
                    "Ihr Browser lädt die Bilder von dort; der Anbieter sieht dabei Ihre "
                    "IP-Adresse und die aufgerufene Bilddatei"
                ),
            )
        )
    return found


def contact():
    """Whom to ask about one's data beyond the publisher (PORTAL_PRIVACY_CONTACT), or ''."""
    return settings.PRIVACY_CONTACT
