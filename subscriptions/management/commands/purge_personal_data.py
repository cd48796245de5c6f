"""manage.py purge_personal_data: the retention rules (subscriptions.retention), now."""

from django.core.management.base import BaseCommand

from subscriptions import retention


class Command(BaseCommand):
    help = (
        "Löscht personenbezogene Daten, deren Aufbewahrungsfrist abgelaufen ist (die Fristen "
        "stehen in den Einstellungen PORTAL_RETENTION_*). Der Worker tut das täglich; "
        "--dry-run zählt nur."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Nur zählen, nichts ändern.")

    def handle(self, *args, dry_run=False, **options):
        for what, count in retention.purge(dry_run=dry_run):
            self.stdout.write(f"{count} {what}" + (" (würden)" if dry_run else ""))
