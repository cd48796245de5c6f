"""manage.py seed_ads_demo: IT-Guide vendors and campaigns for a new site."""

import datetime
import random

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from ads import demo
from ads.counting import add_to_days
from ads.models import Campaign, Category, Creative, Vendor
from ads.slots import SLOTS
from portal.lib.images import render_widths

# Demo articles that are about a demo vendor, by words of their headline.
ABOUT = {
    "xSuite Group GmbH": ["E-Rechnung", "XRechnung"],
    "ab-data GmbH & Co. KG": ["Finanzverfahren", "Finanzsoftware", "Landeskasse"],
    "con terra GmbH": ["Geoportal", "Geodaten"],
}


class Command(BaseCommand):
    help = (
        "Lädt den Demo-IT-Guide: Kategorien, Anbieter mit Logos (die drei aus dem "
        "IT-Guide-Plus-Kasten der Referenzseite und erfundene), laufende Kampagnen mit "
        "Anzeigenbildern für jeden Platz und 30 Tage Demo-Zahlen. Mehrfach ausführbar."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Nur zählen, nichts speichern.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Nur laden, wenn es noch keinen Anbieter gibt (für den ersten Start).",
        )

    def handle(self, *args, dry_run=False, if_empty=False, **options):
        if if_empty and Vendor.objects.exists():
            self.stdout.write("Es gibt schon Anbieter; der Demo-IT-Guide wird nicht geladen.")
            return
        with transaction.atomic():
            categories = {
                slug: Category.objects.get_or_create(
                    slug=slug, defaults={"name": name, "position": 10 * n}
                )[0]
                for n, (slug, name) in enumerate(demo.CATEGORIES, start=1)
            }
            created = [
                self.vendor(item, categories, with_files=not dry_run)
                for item in demo.VENDORS
                if not Vendor.objects.filter(name=item["name"]).exists()
            ]
            campaigns = 0 if dry_run else self.campaigns()
            if dry_run:
                transaction.set_rollback(True)
        verb = "würden angelegt" if dry_run else "angelegt"
        self.stdout.write(f"{len(created)} Anbieter und {campaigns} Kampagnen {verb}.")

    def vendor(self, item, categories, with_files):
        fields = {k: v for k, v in item.items() if k not in ("categories", "color")}
        vendor = Vendor.objects.create(listed_from=datetime.date(2020, 1, 1), **fields)
        vendor.categories.set([categories[slug] for slug in item["categories"]])
        if with_files:
            # Assigned, not logo.save(): only assignment fills in width and height.
            vendor.logo = ContentFile(
                demo.demo_logo(vendor.name, item["color"]), name=f"{vendor.slug}.png"
            )
            vendor.save()
            vendor.logo_renditions = render_widths(
                vendor.logo, f"logos/{vendor.pk}", {}, vendor.logo.storage
            )
            vendor.save(update_fields=["logo_renditions"])
        words = ABOUT.get(vendor.name, [])
        if words:
            about = Q()
            for word in words:
                about |= Q(headline__icontains=word) | Q(kicker__icontains=word)
            vendor.articles.add(*vendor.articles.model.objects.filter(about)[:3])
        return vendor

    def campaigns(self):
        """Running campaigns for the demo vendors, with a month of made-up figures."""
        now = timezone.now()
        count = 0
        rng = random.Random(2019)  # noqa: S311 - demo figures, not a secret
        colors = {item["name"]: item["color"] for item in demo.VENDORS}
        for name, slots, headline, line in demo.CAMPAIGNS:
            vendor = Vendor.objects.get(name=name)
            campaign, new = Campaign.objects.get_or_create(
                advertiser=vendor,
                name=f"{headline} (Demo)",
                defaults={
                    "starts_at": now - datetime.timedelta(days=30),
                    "ends_at": now + datetime.timedelta(days=90),
                    "weight": 10,
                },
            )
            if not new:
                continue
            count += 1
            for slot_name in slots:
                slot = SLOTS[slot_name]
                creative = Creative(
                    campaign=campaign,
                    slot=slot_name,
                    alt_text=f"{vendor.name}: {headline} – {line}",
                    target_url=vendor.website or "https://www.example.org/",
                )
                picture = demo.demo_banner(
                    slot.width, slot.height, headline, line, vendor.name, colors[name]
                )
                creative.image = ContentFile(picture, name=f"{vendor.slug}-{slot_name}.png")
                creative.save()
                today = timezone.localdate()
                rows = []
                for days_back in range(30, 0, -1):
                    shown = rng.randint(800, 2400)
                    rows.append(
                        (creative.pk, today - datetime.timedelta(days=days_back), shown,
                         rng.randint(0, shown // 150))
                    )  # fmt: skip
                with connection.cursor() as cursor:
                    add_to_days(rows, cursor=cursor)
        return count
