"""manage.py seed_demo: sections, pictures and articles, the reference article among them."""

import datetime
import json
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.html import escape

from articles.demo.pictures import demo_picture
from articles.demo.reference import REFERENCE, RELATED, SECTIONS
from articles.models import Article, ArticleLink, Image, Section
from portal.lib.images import make_renditions
from portal.lib.text import german_slugify

DEMO_ARTICLES = Path(__file__).resolve().parent.parent.parent / "demo" / "articles.json"


class Command(BaseCommand):
    help = (
        "Lädt die Demo-Inhalte: den Referenzartikel, die Beiträge, die seine Seite "
        "auflistet, und weitere Artikel in allen Bereichen. Mehrfach ausführbar: "
        "Vorhandenes wird nicht doppelt angelegt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Nur zählen, nichts speichern.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Nur laden, wenn es noch keinen Artikel gibt (für den ersten Start).",
        )

    def handle(self, *args, dry_run=False, if_empty=False, **options):
        if if_empty and Article.objects.exists():
            self.stdout.write("Es gibt schon Artikel; Demo-Inhalte werden nicht geladen.")
            return
        items = [REFERENCE, *RELATED, *json.loads(DEMO_ARTICLES.read_text(encoding="utf-8"))]
        with transaction.atomic():
            sections = self.ensure_sections()
            existing = set(Article.objects.values_list("kicker", "headline"))
            created = 0
            for item in items:
                if (item["kicker"], item["headline"]) in existing:
                    continue
                create_article(item, sections[item["section"]], with_picture=not dry_run)
                created += 1
            if dry_run:
                transaction.set_rollback(True)
        verb = "würden angelegt" if dry_run else "angelegt"
        self.stdout.write(
            f"{created} Artikel {verb}, {len(items) - created} waren schon vorhanden."
        )

    def ensure_sections(self):
        sections = {}
        for position, (slug, name, description) in enumerate(SECTIONS, start=1):
            sections[slug], _ = Section.objects.get_or_create(
                slug=slug,
                defaults={"name": name, "position": position * 10, "description": description},
            )
        return sections


def create_article(item, section, with_picture=True):
    """One published demo article with its links, tags (in order) and picture.

    Without with_picture no file is written: a dry run's rollback would not
    remove files from storage.
    """
    article = Article(
        section=section,
        kind=item["kind"],
        kicker=item["kicker"],
        headline=item["headline"],
        teaser=item["teaser"],
        body="".join(f"<p>{escape(paragraph)}</p>" for paragraph in item["body"]),
        byline=item["byline"],
        featured=item.get("featured", False),
        status=Article.Status.PUBLISHED,
        publish_at=datetime.datetime.fromisoformat(item["published"]),
    )
    if item.get("image") and with_picture:
        article.lead_image = create_picture(item["image"], f"{item['kicker']}-{item['headline']}")
    article.save()
    ArticleLink.objects.bulk_create(
        ArticleLink(article=article, label=link["label"], url=link["url"], position=position)
        for position, link in enumerate(item.get("links", []))
    )
    article.set_tags(item["tags"])
    return article


def create_picture(meta, seed_text):
    name = f"{german_slugify(seed_text, max_length=80)}.jpg"
    image = Image(
        alt_text=meta["alt"], caption=meta["caption"], credit=meta["credit"], original_name=name
    )
    # Assigned, not file.save(): only assignment fills in width and height.
    image.file = ContentFile(demo_picture(seed_text), name=name)
    image.save()
    make_renditions(image)
    return image
