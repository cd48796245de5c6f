"""Erasing a subscriber's personal data: on request (Art. 17 GDPR) and when the periods are over.

Subscribers, their contracts and declarations are never deleted (PROTECT,
and a database trigger for declarations): what has to go is overwritten in
place, so the records that must be kept stay whole and every page that
shows them still works. What must be kept, and for how long, follows from
German tax and commercial law; each period runs from the end of the
calendar year in which the record was made or its last entry falls
(§ 257 Abs. 5 HGB, § 147 Abs. 4 AO), and the limitation period likewise from
the end of the year in which a claim arose (§§ 195, 199 Abs. 1 BGB):

- Name, billing address, customer number and the contract data (plan,
  price, term, dates) are what the invoices of a subscription are built on,
  so they belong to its Buchungsbelege: 8 years since the Viertes
  Bürokratieentlastungsgesetz (§ 147 Abs. 1 Nr. 4, Abs. 3 AO; § 257 Abs. 1
  Nr. 4, Abs. 4 HGB; § 14b Abs. 1 UStG), counted from the end of the year in
  which the last contract ended (the last period billed). The order as
  received and the Vertragsbestätigung are Handelsbriefe as well (6 years),
  which the longer period covers. PORTAL_RETENTION_BOOKING_YEARS.
- A cancellation or withdrawal as received is a Handelsbrief (§ 257 Abs. 1
  Nr. 2, Abs. 4 HGB; § 147 Abs. 1 Nr. 2, Abs. 3 AO): 6 years from the end of
  the year it arrived, longer than the limitation of the claims about the
  contract's end (3 years from the end of the year it ended, which the rule
  also waits for). PORTAL_RETENTION_DECLARATION_YEARS.
- The copies of the business letters we sent by mail (BUSINESS_LETTERS: the
  contract mail of an online order, the Vertragsbestätigung, the receipt of a
  cancellation or withdrawal) are "Wiedergaben der abgesandten Handelsbriefe"
  (§ 257 Abs. 1 Nr. 3, Abs. 4 HGB; § 147 Abs. 1 Nr. 3 AO): kept whole, with
  their recipient, 6 years from the end of the year they were sent, on
  request too (Art. 17 Abs. 3 lit. b GDPR); the 90-day rule for mail texts
  passes them by. PORTAL_RETENTION_DECLARATION_YEARS (the Handelsbriefe').
- The e-mail address, login and confirmation links, newsletter consents and
  the outbox's other copies of mails are none of these: the address was the way
  to reach the customer, not part of the business record. It is kept after
  the last contract ended only while claims from it can still be made
  (Art. 17 Abs. 3 lit. e GDPR), the limitation period of 3 years
  (PORTAL_RETENTION_CONTACT_YEARS); on request it goes at once.

A subscriber with a contract still running is not erased on request: the
contract needs name, address and e-mail address to be fulfilled (Art. 6
Abs. 1 lit. b, Art. 17 Abs. 1 lit. a GDPR: the data are still necessary).
Staff end the contract first (a cancellation, which the person may declare
with the same request); anonymising only part of a running customer would
leave a contract nobody can deliver or bill.

The log entry of an erasure names the customer number and the staff member,
never the person; earlier log entries about the subscriber lose the name
they were written with.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, Exists, Max, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from subscriptions import mail
from subscriptions.contracts import running_q
from subscriptions.models import (
    ANONYMISED,
    ANONYMISED_DECLARATION,
    ERASED_EMAIL_DOMAIN,
    AddressChange,
    Declaration,
    LinkToken,
    NewsletterConsent,
    Order,
    OutgoingMail,
    Subscriber,
    Subscription,
)

# What a mail's body says once it was erased; its envelope's recipient likewise.
BODY_ERASED = "[Inhalt gelöscht]"
ERASURE_PURPOSE = "erasure"
# Outbox purposes whose sent copies are Handelsbriefe (see above): the contract
# mail of an online order, the Vertragsbestätigung, the receipt of a declaration.
BUSINESS_LETTERS = ("order", "contract", "declaration")


def sent_business_letters():
    """The outbox's copies of business letters that went out (Handelsbriefe)."""
    return OutgoingMail.objects.filter(purpose__in=BUSINESS_LETTERS, state=OutgoingMail.State.SENT)


def cutoff(now, years):
    """The first day of records still within a period of ``years`` after the end of their year.

    A record of 2025 with a period of 8 years is kept through 31.12.2033; on
    1.1.2034 this returns 1.1.2026, and the record falls before it.
    """
    return datetime.date(timezone.localdate(now).year - years, 1, 1)


def kept_until(day, years):
    """The last day a record of ``day`` is kept: the end of the year, ``years`` later."""
    return datetime.date(day.year + years, 12, 31)


def midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def erased_email(prefix="geloescht"):
    """An address for each row that cannot be delivered (.invalid) and is unique by its pk."""
    return Concat(Value(f"{prefix}-"), Cast("pk", CharField()), Value(f"@{ERASED_EMAIL_DOMAIN}"))


def ended_before(day):
    """Subscribers who had contracts and whose every contract ended before ``day``."""
    theirs = Subscription.objects.filter(subscriber=OuterRef("pk"))
    later = theirs.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
    return Subscriber.objects.filter(Exists(theirs)).exclude(Exists(later))


def _scrub_log(model, pks, label):
    """Earlier admin log entries about these rows lose the name they were written with."""
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=[str(pk) for pk in pks],
    ).update(object_repr=label)


def _erase_mails(addresses, keep=None):
    """Mails to these addresses lose recipient and text; waiting ones are not sent any more."""
    mails = OutgoingMail.objects.filter(to__in=addresses).exclude(
        pk__in=sent_business_letters().values("pk")
    )
    if keep is not None:
        mails = mails.exclude(pk=keep.pk)
    mails.filter(state__in=[OutgoingMail.State.QUEUED, OutgoingMail.State.HELD]).update(
        state=OutgoingMail.State.FAILED,
        last_error=_("Nicht gesendet: Empfänger gelöscht (Art. 17 DSGVO)."),
    )
    return mails.update(
        to=erased_email("mail"), body_text=BODY_ERASED, body_html="", headers={}, attachments=[]
    )


def forget_contact(subscribers, now, keep_mail=None):
    """The e-mail address goes everywhere it points to these subscribers; returns how many.

    Their address becomes an undeliverable placeholder, so a login-link
    request for the old address finds nobody (and gets the mail for
    unknown addresses); links, newsletter consents for the address, the
    outbox's copies and the address in their orders go. ``keep_mail``: the
    erasure confirmation, which must still go out (retention erases its
    recipient once sent).
    """
    subscribers = Subscriber.objects.filter(
        pk__in=list(
            subscribers.filter(contact_erased_at__isnull=True).values_list("pk", flat=True)
        )
    )
    addresses = list(subscribers.values_list("email", flat=True))
    if not addresses:
        return 0
    LinkToken.objects.filter(subscriber__in=subscribers).delete()
    NewsletterConsent.objects.filter(email__in=addresses).delete()
    _erase_mails(addresses, keep=keep_mail)
    Order.objects.filter(subscription__subscriber__in=subscribers).update(
        email=erased_email("bestellung")
    )
    return subscribers.update(email=erased_email(), contact_erased_at=now)


def anonymise(subscribers, now):
    """Name and addresses go as well; customer number and contract data stay. Returns how many."""
    subscribers = Subscriber.objects.filter(
        pk__in=list(subscribers.filter(anonymised_at__isnull=True).values_list("pk", flat=True))
    )
    forget_contact(subscribers, now)
    blank = {"name": ANONYMISED, "organisation": "", "street": "", "postcode": "", "city": ""}
    orders = Order.objects.filter(subscription__subscriber__in=subscribers)
    changes = AddressChange.objects.filter(subscriber__in=subscribers)
    contracts = Subscription.objects.filter(subscriber__in=subscribers)
    _scrub_log(Order, orders.values_list("pk", flat=True), ANONYMISED)
    _scrub_log(AddressChange, changes.values_list("pk", flat=True), ANONYMISED)
    _scrub_log(Subscription, contracts.values_list("pk", flat=True), ANONYMISED)
    for pk, number in subscribers.values_list("pk", "customer_number"):
        _scrub_log(Subscriber, [pk], number)
    orders.update(**blank)
    changes.update(**blank, previous="")
    return subscribers.update(**blank, anonymised_at=now)


def anonymise_declarations(declarations):
    """The one change the trigger allows: the personal columns, all at once. Returns how many."""
    declarations = declarations.exclude(**ANONYMISED_DECLARATION)
    pks = list(declarations.values_list("pk", flat=True))
    _scrub_log(Declaration, pks, ANONYMISED)
    OutgoingMail.objects.filter(
        pk__in=Declaration.objects.filter(pk__in=pks).values("confirmation")
    ).update(to=erased_email("mail"), body_text=BODY_ERASED, body_html="", headers={})
    return Declaration.objects.filter(pk__in=pks).update(**ANONYMISED_DECLARATION)


@dataclass
class Assessment:
    """What an erasure request would do to one subscriber: refused, or what goes and what stays."""

    subscriber: Subscriber
    refusal: str = ""
    erased: list = field(default_factory=list)
    # (what, until which day, why)
    kept: list = field(default_factory=list)

    @property
    def complete(self):
        """Nothing has to be kept: name and address go at once too."""
        return not self.refusal and not self.kept


def assess(subscriber, now=None):
    """Whether the subscriber can be erased now, and if so what goes and what must stay."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = Assessment(subscriber)
    running = subscriber.subscriptions.filter(running_q(today)).select_related("plan")
    if subscriber.contact_erased_at is not None:
        result.refusal = _("Die Daten wurden bereits am %(day)s gelöscht.") % {
            "day": f"{timezone.localdate(subscriber.contact_erased_at):%d.%m.%Y}"
        }
        return result
    if running:
        contract = running[0]
        result.refusal = _(
            "Der Vertrag „%(plan)s“ läuft noch (%(until)s). Solange er läuft, brauchen wir "
            "Name, Anschrift und E-Mail-Adresse, um ihn zu erfüllen (Art. 6 Abs. 1 lit. b, "
            "Art. 17 Abs. 1 lit. a DSGVO). Bitte den Vertrag zuerst beenden, etwa mit einer "
            "Kündigung zum nächstmöglichen Termin; danach kann gelöscht werden."
        ) % {
            "plan": contract.plan,
            "until": (
                _("bis %(day)s") % {"day": f"{contract.ends_on:%d.%m.%Y}"}
                if contract.ends_on
                else _("auf unbestimmte Zeit")
            ),
        }
        return result
    result.erased = [
        _("die E-Mail-Adresse (nach dem Versand der Bestätigung an sie)"),
        _("Anmelde- und Bestätigungslinks"),
        _("Newsletter-Einwilligungen dieser Adresse (keine Aufbewahrungspflicht)"),
        _("Text und Empfänger aller E-Mails an diese Adresse im Postausgang"),
        _("die E-Mail-Adresse in den Bestellungen"),
    ]
    last_end = subscriber.subscriptions.aggregate(last=Max("ends_on"))["last"]
    booking_years = settings.RETENTION_BOOKING_YEARS
    if last_end is not None and kept_until(last_end, booking_years) >= today:
        result.kept.append(
            (
                _(
                    "Name, Organisation, Anschrift, Kundennummer und die Vertragsdaten "
                    "(Angebot, Preis, Laufzeit, Daten), mit Bestellungen und Adressänderungen"
                ),
                kept_until(last_end, booking_years),
                _(
                    "Grundlage der Rechnungen (Buchungsbelege): %(years)d Jahre ab Ende des "
                    "Jahres, in dem der letzte Vertrag endete (§ 147 Abs. 1 Nr. 4, Abs. 3 AO, "
                    "§ 257 Abs. 1 Nr. 4, Abs. 4 HGB, § 14b UStG); Bestellung und "
                    "Vertragsbestätigung sind zugleich Handelsbriefe (6 Jahre)."
                )
                % {"years": booking_years},
            )
        )
    else:
        result.erased.insert(0, _("Name, Organisation und Anschrift"))
    declaration_years = settings.RETENTION_DECLARATION_YEARS
    last_letter = (
        sent_business_letters().filter(to=subscriber.email).aggregate(last=Max("sent_at"))["last"]
    )
    if last_letter is not None:
        result.kept.append(
            (
                _(
                    "Kopien der versandten Vertrags- und Eingangsbestätigungen "
                    "(E-Mails mit Empfänger und Text)"
                ),
                kept_until(timezone.localdate(last_letter), declaration_years),
                _(
                    "Wiedergaben abgesandter Handelsbriefe: %(years)d Jahre ab Ende des "
                    "Jahres des Versands (§ 257 Abs. 1 Nr. 3, Abs. 4 HGB, § 147 Abs. 1 Nr. 3, "
                    "Abs. 3 AO); danach gelöscht."
                )
                % {"years": declaration_years},
            )
        )
    latest = (
        Declaration.objects.filter(Q(subscriber=subscriber) | Q(disputed_by=subscriber))
        .exclude(**ANONYMISED_DECLARATION)
        .aggregate(last=Max("received_at"))["last"]
    )
    if latest is not None and kept_until(timezone.localdate(latest), declaration_years) >= today:
        result.kept.append(
            (
                _("Kündigungen und Widerrufe, wie sie eingegangen sind (mit Name und E-Mail)"),
                kept_until(timezone.localdate(latest), declaration_years),
                _(
                    "Empfangene Handelsbriefe und Beweis für das Vertragsende: %(years)d Jahre "
                    "ab Ende des Jahres des Eingangs (§ 257 Abs. 1 Nr. 2, Abs. 4 HGB, § 147 "
                    "Abs. 1 Nr. 2, Abs. 3 AO); danach anonymisiert."
                )
                % {"years": declaration_years},
            )
        )
    return result


@transaction.atomic
def erase(subscriber, user, now=None):
    """Erase on request (Art. 17 GDPR): confirm to the person, erase, log. The Assessment.

    The confirmation is queued to the address before it is erased; the
    outbox keeps it until the mail is sent, and retention then erases its
    recipient and text (rule "Löschbestätigungen"). Refused (nothing
    changes) when assess() says so.
    """
    now = now or timezone.now()
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    result = assess(subscriber, now)
    if result.refusal:
        return result
    confirmation = mail.queue(
        subscriber.email,
        purpose=ERASURE_PURPOSE,
        template="erasure",
        context={"subscriber": subscriber, "assessment": result},
    )
    one = Subscriber.objects.filter(pk=subscriber.pk)
    forget_contact(one, now, keep_mail=confirmation)
    if result.complete:
        anonymise(one, now)
    kept = "; ".join(f"{what}: bis {until:%d.%m.%Y}" for what, until, _why in result.kept)
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(Subscriber),
        object_id=str(subscriber.pk),
        object_repr=subscriber.customer_number,
        action_flag=CHANGE,
        change_message=_("Personenbezogene Daten gelöscht (Art. 17 DSGVO).")
        + (" " + _("Aufbewahrt: %(kept)s.") % {"kept": kept} if kept else ""),
    )
    _scrub_log(Subscriber, [subscriber.pk], subscriber.customer_number)
    return result
