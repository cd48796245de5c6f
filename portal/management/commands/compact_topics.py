"""manage.py compact_topics: fold the page cache's counter rows; no version changes."""

from django.core.management.base import BaseCommand

from portal.lib import topics


class Command(BaseCommand):
    help = (
        "Fasst die Zählzeilen beendeter Datenbankverbindungen und verstrichene Termine "
        "zu einer Zeile je Thema zusammen (täglich ausführen); keine Version ändert sich."
    )

    def handle(self, *args, **options):
        before, after = topics.compact()
        self.stdout.write(f"Zählzeilen: {before} vorher, {after} nachher.")
