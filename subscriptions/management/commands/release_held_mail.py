"""Held mail goes out: what forms sent beyond their rate limit wrote, once staff have looked."""

from django.core.management.base import BaseCommand
from django.db import transaction

from subscriptions import mail
from subscriptions.models import OutgoingMail


class Command(BaseCommand):
    help = (
        "Gibt zurückgehaltene E-Mails frei (Bestätigungen von Kündigungen und Widerrufen, "
        "die über der Mengenbegrenzung eingingen); der Worker (make worker) "
        "versendet sie gleich. Vorher im Postausgang prüfen, ob es "
        "eine Flut war. Mit --purpose nur E-Mails dieses Anlasses."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--purpose",
            help="Nur E-Mails dieses Anlasses, etwa declaration oder declaration-notice.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Nur zählen, nichts freigeben.")

    def handle(self, *args, purpose=None, dry_run=False, **options):
        held = OutgoingMail.objects.filter(state=OutgoingMail.State.HELD)
        if purpose:
            held = held.filter(purpose=purpose)
        if dry_run:
            self.stdout.write(f"{held.count()} E-Mails zurückgehalten.")
            return
        with transaction.atomic():
            released = mail.release(held)
        self.stdout.write(f"{released} E-Mails freigegeben; der Worker versendet sie.")
