"""manage.py rename_pictures: pictures readers cannot see yet move to random names.

Pictures uploaded before names became random were stored under the
uploader's file name (images/2026/12/embargo-minister-ruecktritt.jpg) and
their renditions under the picture's id (renditions/46/480.jpg): anyone could
find a picture for an article that is not out yet. This gives every such
picture, and its renditions, random names, points the bodies that embed it
at them, and removes the old files.

A command, not a data migration: it moves files in the media storage (disk or
S3), which no database transaction can take back, and it needs today's code
(renditions, body embedding), which migrations must not import. Each picture
is renamed in a transaction of its own, so a run that stops (a full disk, S3
unreachable) is simply run again; pictures already renamed are passed over,
which is why `make serve` runs it on every start.

Pictures readers already see keep their names: those are public anyway, and
links to them live on in feed readers, search engines and sent mail.
"""

import re
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Article, Image

_RANDOM = r"[A-Za-z0-9_-]{22}"  # portal.lib.images.unguessable()
_RANDOM_FILE = re.compile(rf"images/[0-9]{{4}}/[0-9]{{2}}/{_RANDOM}\.[a-z]+")
_RANDOM_RENDITION = re.compile(rf"renditions/{_RANDOM}/[0-9]+\.[a-z]+")


def has_random_names(image):
    """The picture and all its renditions are under random names (none: not yet)."""
    kinds = ("fallback", "webp")
    renditions = [name for kind in kinds for _w, name in image.renditions.get(kind, [])]
    return (
        _RANDOM_FILE.fullmatch(image.file.name) is not None
        and bool(renditions)
        and all(_RANDOM_RENDITION.fullmatch(name) for name in renditions)
    )


def not_shown_to_readers():
    """Pictures in no article readers can see now: drafts, scheduled, taken back, unused."""
    shown = Article.objects.published()
    return (
        Image.objects.exclude(pk__in=shown.filter(lead_image__isnull=False).values("lead_image"))
        .exclude(pk__in=shown.filter(body_images__isnull=False).values("body_images"))
        .order_by("pk")
    )


class Command(BaseCommand):
    help = (
        "Gibt Bildern, die Leser noch nicht sehen, und ihren Bildgrößen zufällige Dateinamen "
        "und löscht die alten Dateien. Bereits umbenannte Bilder bleiben, wie sie sind."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Nur zählen.")

    def handle(self, *args, dry_run=False, **options):
        renamed = missing = 0
        pending = [image for image in not_shown_to_readers() if not has_random_names(image)]
        if dry_run:
            self.stdout.write(f"{len(pending)} Bilder würden umbenannt.")
            return
        for image in pending:
            outcome = self.rename(image.pk)
            renamed += outcome == "renamed"
            missing += outcome == "missing"
        self.stdout.write(f"{renamed} Bilder umbenannt.")
        if missing:
            self.stderr.write(f"{missing} Bilder ohne Datei im Speicher, nicht umbenannt.")

    def rename(self, pk):
        with transaction.atomic():
            # Several app servers starting at once: each picture is renamed by one.
            image = Image.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if image is None or has_random_names(image):
                return "skipped"
            storage, old_name = image.file.storage, image.file.name
            if not storage.exists(old_name):
                return "missing"
            image.original_name = image.original_name or Path(old_name).name[:255]
            with storage.open(old_name, "rb") as handle:
                # upload_to gives the random name; only the extension is kept.
                image.file.save(Path(old_name).name, File(handle), save=False)
            image.save(update_fields=["file", "original_name"])
            image.renew_renditions()
            transaction.on_commit(lambda: storage.delete(old_name))
        return "renamed"
