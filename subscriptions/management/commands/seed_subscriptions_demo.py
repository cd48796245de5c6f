"""Demo offers, subscribers and contracts for a first start or a demonstration."""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from subscriptions.models import Plan, Subscriber, Subscription

PLANS = [
    # slug, name, kind, price, billing months, minimum term, notice, description
    (
        "print-jahr",
        "Print-Magazin, jährlich",
        Plan.Kind.PRINT,
        "89.00",
        12,
        12,
        1,
        "Sechs Ausgaben im Jahr per Post.",
    ),
    (
        "digital-jahr",
        "Digital-Abo, jährlich",
        Plan.Kind.DIGITAL,
        "69.00",
        12,
        12,
        1,
        "Alle Ausgaben als E-Paper und das Archiv.",
    ),
    (
        "kombi-jahr",
        "Kombi-Abo Print und Digital",
        Plan.Kind.COMBINED,
        "109.00",
        12,
        12,
        1,
        "Das Heft per Post und alles digital.",
    ),
    (
        "digital-monat",
        "Digital-Abo, monatlich",
        Plan.Kind.DIGITAL,
        "7.90",
        1,
        0,
        1,
        "Alle Ausgaben als E-Paper, ohne Mindestlaufzeit.",
    ),
    (
        "digital-probe",
        "Digital-Probeabo, 3 Monate",
        Plan.Kind.DIGITAL,
        "15.00",
        3,
        3,
        1,
        "Drei Monate alle Ausgaben als E-Paper; endet von selbst.",
    ),
]

# What the order page says besides (subscriptions.conditions): shipping for
# print, a fixed term that does not renew; the rest are the fields' defaults.
MORE_TERMS = {
    "print-jahr": {"shipping": "8.40"},
    "kombi-jahr": {"shipping": "8.40"},
    "digital-probe": {"renews": False},
}

# (customer number, name, organisation, e-mail, street, postcode, city, [(plan, start, online)])
SUBSCRIBERS = [
    (
        "K-100001",
        "Erika Mustermann",
        "Stadtverwaltung Musterstadt",
        "erika.mustermann@example.org",
        "Rathausplatz 1",
        "12345",
        "Musterstadt",
        [("print-jahr", -200, False), ("digital-monat", -40, True)],
    ),
    (
        "K-100002",
        "Max Beispiel",
        "Landratsamt Beispielkreis",
        "max.beispiel@example.org",
        "Kreishausstraße 7",
        "54321",
        "Beispielstadt",
        [("kombi-jahr", -5, True)],
    ),
    (
        "K-100003",
        "Dr. Sabine Vorbild",
        "Ministerium für Digitales",
        "s.vorbild@example.org",
        "Am Ministerium 3",
        "10117",
        "Berlin",
        [("digital-jahr", -2000, False)],
    ),
]


class Command(BaseCommand):
    help = (
        "Lädt Demo-Angebote und drei Demo-Abonnenten (etwa Erika Mustermann, K-100001, "
        "erika.mustermann@example.org), um Bestellen, Aboverwaltung und Kündigen auszuprobieren."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Nur zählen, nichts speichern.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Nur laden, wenn es noch kein Angebot gibt (für den ersten Start).",
        )

    def handle(self, *args, dry_run=False, if_empty=False, **options):
        if if_empty and Plan.objects.exists():
            self.stdout.write("Es gibt schon Angebote; die Demo-Abonnements werden nicht geladen.")
            return
        today = timezone.localdate()
        with transaction.atomic():
            plans = {}
            for position, (slug, name, kind, price, billing, term, notice, text) in enumerate(
                PLANS
            ):
                plans[slug], _ = Plan.objects.update_or_create(
                    slug=slug,
                    defaults={
                        "name": name,
                        "kind": kind,
                        "price": price,
                        "billing_months": billing,
                        "minimum_term_months": term,
                        "notice_months": notice,
                        "description": text,
                        "position": position,
                        **MORE_TERMS.get(slug, {}),
                    },
                )
            contracts = 0
            for number, name, organisation, email, street, postcode, city, owned in SUBSCRIBERS:
                subscriber, created = Subscriber.objects.get_or_create(
                    customer_number=number,
                    defaults={
                        "name": name,
                        "organisation": organisation,
                        "email": email,
                        "street": street,
                        "postcode": postcode,
                        "city": city,
                    },
                )
                if not created:
                    continue
                for slug, days, online in owned:
                    start = today + datetime.timedelta(days=days)
                    Subscription.agreed(
                        subscriber,
                        plans[slug],
                        concluded_on=start,
                        starts_on=start,
                        ordered_online=online,
                        # Ordered with the full Widerrufsbelehrung; the first
                        # print issue is left to record (its period waits).
                        withdrawal_informed_on=start if online else None,
                        status=Subscription.Status.ACTIVE,
                        accepted_at=timezone.now(),
                    ).save()
                    contracts += 1
            self.stdout.write(f"{len(plans)} Angebote, {contracts} Demo-Abonnements geladen.")
            if dry_run:
                transaction.set_rollback(True)
                self.stdout.write("Probelauf: nichts gespeichert.")
