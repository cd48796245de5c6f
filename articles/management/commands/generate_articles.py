"""manage.py generate_articles: an archive of made-up articles for benchmarks."""

import datetime
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.html import escape

from articles.demo.reference import SECTIONS
from articles.models import Article, Section, Tag, TaggedArticle
from articles.tasks import merge_search_words
from portal.lib import topics
from portal.lib.text import german_slugify

PLACES = [
    "Bayern", "Berlin", "Brandenburg", "Bremen", "Hamburg", "Hessen", "Niedersachsen",
    "Nordrhein-Westfalen", "Rheinland-Pfalz", "Saarland", "Sachsen", "Sachsen-Anhalt",
    "Schleswig-Holstein", "Thüringen", "Baden-Württemberg", "Mecklenburg-Vorpommern",
    "München", "Köln", "Frankfurt am Main", "Stuttgart", "Leipzig", "Dresden", "Hannover",
    "Nürnberg", "Bonn", "Münster", "Kiel", "Rostock", "Kreis Lippe", "Landkreis Harburg",
]  # fmt: skip
TOPICS = [
    ("Digitalisierungsstrategie", "beschlossen"), ("Onlinezugangsgesetz", "umgesetzt"),
    ("E-Akte", "eingeführt"), ("Bürgerportal", "freigeschaltet"), ("Rechenzentrum", "erweitert"),
    ("Geoportal", "modernisiert"), ("Schulnetz", "ausgebaut"), ("E-Rechnung", "gestartet"),
    ("Open-Data-Portal", "online"), ("Cloud-Strategie", "vorgestellt"),
    ("IT-Sicherheitskonzept", "überarbeitet"), ("Registermodernisierung", "vorangetrieben"),
    ("KI-Assistent", "erprobt"), ("Breitbandausbau", "abgeschlossen"),
    ("Terminvergabe", "digitalisiert"), ("Smart-City-Plattform", "gestartet"),
]  # fmt: skip
TAGS = [
    "OZG", "Digitalstrategie", "Schul-IT", "Cloud", "IT-Sicherheit", "E-Akte", "Open Data",
    "Bürgerservice", "Smart City", "KI", "Geodaten", "Finanzwesen", "Registermodernisierung",
    "Digitalpakt Schule", "Breitband", "Öffentliche Verwaltung", "Künstliche Intelligenz",
    "Bürgerkonto", "E-Rechnung", "Rechenzentrum",
]  # fmt: skip
SENTENCES = [
    "Wie das zuständige Ministerium mitteilt, sollen die Arbeiten bis zum Jahresende abgeschlossen sein.",
    "Nach Angaben der Stadtverwaltung profitieren davon vor allem Bürgerinnen und Bürger, die Anträge künftig online stellen können.",
    "Der kommunale IT-Dienstleister begleitet die Einführung und schult die Beschäftigten.",
    "Finanziert wird das Vorhaben aus Mitteln des Landes und des Bundes.",
    "Weitere Kommunen haben bereits Interesse an der Lösung bekundet.",
    "Die Digitalisierung der Verwaltung sei eine Daueraufgabe, heißt es in der Pressemitteilung.",
    "Im nächsten Schritt sollen die Fachverfahren an die zentrale Plattform angebunden werden.",
    "Datenschutz und Informationssicherheit wurden von Beginn an berücksichtigt.",
]  # fmt: skip

BATCH = 5000


class Command(BaseCommand):
    help = (
        "Erzeugt schnell viele veröffentlichte Artikel (mit Stichwörtern) über viele Jahre, "
        "für Lasttests und Benchmarks, z. B. --count 200000."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1000, help="Wie viele Artikel.")
        parser.add_argument("--years", type=int, default=20, help="Über wie viele Jahre.")
        parser.add_argument("--seed", type=int, default=1, help="Zufallsstartwert.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Nur erzeugen und zählen, nichts speichern."
        )

    def handle(self, *args, count, years, seed, dry_run, **options):
        if count < 1 or years < 1:
            raise CommandError("--count und --years müssen positiv sein.")
        rng = random.Random(seed)  # noqa: S311 - test data, not secrets
        started = time.monotonic()
        # One transaction, counted as a change of everything at its end.
        with topics.bulk_import():
            sections = self.ensure_sections()
            tag_ids = [self.ensure_tag(name) for name in TAGS]
            ids = self.reserve_ids(count)
            now = timezone.now()
            span = datetime.timedelta(days=365 * years).total_seconds()
            with connection.cursor() as cursor:
                for start in range(0, count, BATCH):
                    chunk = ids[start : start + BATCH]
                    rows = [self.article_row(pk, rng, sections, now, span) for pk in chunk]
                    self.copy(cursor, Article, ARTICLE_COLUMNS, rows)
                    tagged = [
                        (pk, tag) for pk in chunk for tag in rng.sample(tag_ids, rng.randint(2, 6))
                    ]
                    self.copy(cursor, TaggedArticle, ["content_object_id", "tag_id"], tagged)
            if dry_run:
                transaction.set_rollback(True)
        if not dry_run:  # their words into the search vocabulary now, not at the clock's next turn
            merge_search_words.call()
        verb = "würden erzeugt" if dry_run else "erzeugt"
        self.stdout.write(f"{count} Artikel {verb} in {time.monotonic() - started:.1f} s.")

    def ensure_sections(self):
        for position, (slug, name, description) in enumerate(SECTIONS, start=1):
            Section.objects.get_or_create(
                slug=slug,
                defaults={"name": name, "position": position * 10, "description": description},
            )
        return list(Section.objects.values_list("pk", flat=True))

    def ensure_tag(self, name):
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
        return tag.pk

    def reserve_ids(self, count):
        """Take ids from the table's own sequence, so later inserts never collide."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Article._meta.db_table, count],
            )
            return [row[0] for row in cursor.fetchall()]

    def article_row(self, pk, rng, sections, now, span):
        place = rng.choice(PLACES)
        topic, verb = rng.choice(TOPICS)
        headline = f"{topic} {verb}"
        published = now - datetime.timedelta(seconds=rng.random() * span)
        paragraphs = [" ".join(rng.sample(SENTENCES, 4)) for _ in range(rng.randint(3, 6))]
        # The body is built from known text and escaped, so it needs no sanitizing.
        body = "".join(f"<p>{escape(text)}</p>" for text in paragraphs)
        status = "published" if rng.random() < 0.97 else rng.choice(["draft", "review"])
        return (
            pk,
            rng.choice(sections),
            rng.choices(["news", "report", "interview"], weights=[80, 17, 3])[0],
            place,
            headline,
            german_slugify(f"{place} {headline}"),
            f"{place}: {topic} {verb}. {rng.choice(SENTENCES)}",
            body,
            rng.choice(["ba", "ve", "al", "th", "co", "sib"]),
            False,
            status,
            published,
            published,
            published,
            1,
        )

    def copy(self, cursor, model, columns, rows):
        """COPY is an order of magnitude faster than INSERT for bulk rows."""
        statement = "COPY {} ({}) FROM STDIN".format(
            connection.ops.quote_name(model._meta.db_table),
            ", ".join(connection.ops.quote_name(column) for column in columns),
        )
        with cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)


ARTICLE_COLUMNS = [
    "id", "section_id", "kind", "kicker", "headline", "slug", "teaser", "body", "byline",
    "featured", "status", "publish_at", "created_at", "updated_at", "version",
]  # fmt: skip
