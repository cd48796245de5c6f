"""manage.py restore: a backup back into the database and the media folder."""

import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.lib import topics
from portal.postgres import run_pg_tool


class Command(BaseCommand):
    help = (
        "Spielt eine Sicherung von manage.py backup zurück: ersetzt den Inhalt der "
        "konfigurierten Datenbank und legt die Dateien nach MEDIA_ROOT."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="Der Ordner mit database.dump und media.tar.gz.")
        parser.add_argument(
            "--yes", action="store_true", help="Ohne Rückfrage (die Datenbank wird ersetzt)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Nur prüfen, nichts ändern.")

    def handle(self, *args, folder, yes=False, dry_run=False, **options):
        folder = Path(folder)
        dump, media = folder / "database.dump", folder / "media.tar.gz"
        if not dump.exists():
            raise CommandError(f"{dump} fehlt.")
        if dry_run:
            self.stdout.write(f"Würde {dump} und {media} zurückspielen.")
            return
        if not yes:
            raise CommandError("Das ersetzt die Datenbank. Mit --yes bestätigen.")
        run_pg_tool(
            "pg_restore", "--clean", "--if-exists", "--no-owner", "--exit-on-error", str(dump)
        )
        # The page cache's parts are kept under topic versions, which the
        # backup's database counts from its own numbers again.
        topics.renew_all()
        if media.exists():
            with tarfile.open(media) as archive:
                archive.extractall(settings.MEDIA_ROOT, filter="data")
        self.stdout.write(f"Zurückgespielt aus {folder}.")
