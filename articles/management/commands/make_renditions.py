"""manage.py make_renditions: the pictures' srcset renditions, made again."""

from django.core.management.base import BaseCommand

from articles.models import Image


class Command(BaseCommand):
    help = (
        "Erzeugt die Bildgrößen (JPEG/PNG und WebP) für Bilder, denen sie fehlen; "
        "mit --all für alle Bilder neu."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Auch vorhandene neu erzeugen.")
        parser.add_argument("--dry-run", action="store_true", help="Nur zählen.")

    def handle(self, *args, all=False, dry_run=False, **options):
        images = Image.objects.all() if all else Image.objects.filter(renditions={})
        count = images.count()
        if not dry_run:
            for image in images.iterator():
                image.renew_renditions()
        verb = "würden erzeugt" if dry_run else "erzeugt"
        self.stdout.write(f"Bildgrößen für {count} Bilder {verb}.")
