"""manage.py backup: the database and the pictures, into one dated folder."""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from portal.postgres import run_pg_tool


class Command(BaseCommand):
    help = (
        "Sichert Datenbank und hochgeladene Dateien in einen neuen Ordner: database.dump "
        "(pg_dump, Custom-Format) und media.tar.gz. Zurückspielen mit manage.py restore."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--into", default="var/backups", help="Wohin (ein Unterordner mit Zeitstempel)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Nur sagen, was gesichert würde."
        )

    def handle(self, *args, into, dry_run=False, **options):
        target = Path(into) / timezone.localtime().strftime("%Y-%m-%d-%H%M%S")
        media = Path(settings.MEDIA_ROOT)
        name = connection.settings_dict["NAME"]
        if dry_run:
            self.stdout.write(f"Würde Datenbank {name} und {media} nach {target} sichern.")
            return
        target.mkdir(parents=True, exist_ok=False)
        run_pg_tool(
            "pg_dump", "--format=custom", "--no-owner", f"--file={target / 'database.dump'}"
        )
        media.mkdir(parents=True, exist_ok=True)
        shutil.make_archive(str(target / "media"), "gztar", root_dir=media)
        size = sum(f.stat().st_size for f in target.iterdir()) / 1e6
        self.stdout.write(f"Gesichert nach {target} ({size:.1f} MB).")
