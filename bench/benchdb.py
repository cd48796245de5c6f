"""The benchmarks' database (its own embedded PostgreSQL under var/bench/, or
BENCH_DATABASE_URL) and the gunicorn they all measure against."""

import os
import subprocess
import sys
import time
from http.client import HTTPConnection
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent


def setup_django():
    """Point Django at the benchmark database, set it up and migrate it."""
    sys.path.insert(0, str(BASE))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    if "BENCH_DATABASE_URL" in os.environ:
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["PORTAL_PGDATA"] = str(BASE / "var" / "bench" / "pgdata")
        os.environ["PORTAL_MEDIA_ROOT"] = str(BASE / "var" / "bench" / "media")
        (BASE / "var" / "bench").mkdir(parents=True, exist_ok=True)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def ensure_articles(count):
    """Fill the benchmark database up to ``count`` articles (demo content first), once."""
    from django.core.management import call_command
    from django.db import connection

    from articles.models import Article

    missing = count - Article.objects.count()
    if missing > 0:
        print(f"generating {missing} articles (once) ...", flush=True)
        call_command("seed_demo", "--if-empty", stdout=open(os.devnull, "w"))  # noqa: SIM115
        call_command("generate_articles", count=max(missing - 72, 1), stdout=sys.stdout)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


CITIES = ["Berlin", "Hamburg", "München", "Köln", "Leipzig", "Dresden", "Erfurt", "Kiel",
          "Mainz", "Potsdam", "Schwerin", "Magdeburg", "Hannover", "Bremen", "Stuttgart"]  # fmt: skip


def ensure_vendors(count, campaign_share=10):
    """Fill the IT-Guide up to ``count`` vendors; every ``campaign_share``-th runs a campaign."""
    import datetime
    import random

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from ads.models import Campaign, Category, Creative, Vendor

    missing = count - Vendor.objects.count()
    if missing <= 0:
        return
    print(f"generating {missing} vendors with campaigns (once) ...", flush=True)
    call_command("seed_ads_demo", "--if-empty", stdout=open(os.devnull, "w"))  # noqa: SIM115
    rng = random.Random(2)  # noqa: S311 - test data
    categories = list(Category.objects.values_list("pk", flat=True))
    # Creatives reuse the demo pictures: one file per place, shared by all.
    pictures = {c.slot: c for c in Creative.objects.order_by("pk")}
    start = Vendor.objects.count()
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        vendors = Vendor.objects.bulk_create(
            Vendor(
                name=f"Verwaltungs-IT {start + n:05d} GmbH",
                slug=f"verwaltungs-it-{start + n:05d}",
                postcode=f"{rng.randint(1067, 99998):05d}",
                city=rng.choice(CITIES),
                description="<p>Software und Beratung für die öffentliche Verwaltung.</p>",
                plus=rng.random() < 0.05,
                listed_from=today - datetime.timedelta(days=rng.randint(1, 2000)),
            )
            for n in range(missing)
        )
        through = Vendor.categories.through
        through.objects.bulk_create(
            through(vendor_id=vendor.pk, category_id=category)
            for vendor in vendors
            for category in rng.sample(categories, k=min(2, len(categories)))
        )
        campaigns = Campaign.objects.bulk_create(
            Campaign(
                advertiser=vendor,
                name=f"Kampagne {vendor.name}",
                starts_at=now - datetime.timedelta(days=rng.randint(0, 20)),
                ends_at=now + datetime.timedelta(days=rng.randint(10, 60)),
                weight=rng.randint(1, 5),
            )
            for vendor in vendors[::campaign_share]
        )
        Creative.objects.bulk_create(
            Creative(
                campaign=campaign,
                slot=slot,
                image=picture.image.name,
                width=picture.width,
                height=picture.height,
                alt_text=f"Anzeige {campaign.name}",
                target_url="https://example.org/",
                active=True,
            )  # fmt: skip
            for campaign in campaigns
            for slot, picture in pictures.items()
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def ensure_subscribers(count):
    """Fill the subscription service up to ``count`` subscribers, one contract each."""
    import datetime
    import random

    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from subscriptions.models import Plan, Subscriber, Subscription

    missing = count - Subscriber.objects.count()
    if missing <= 0:
        return
    print(f"generating {missing} subscribers (once) ...", flush=True)
    call_command("seed_subscriptions_demo", "--if-empty", stdout=open(os.devnull, "w"))  # noqa: SIM115
    rng = random.Random(3)  # noqa: S311 - test data
    plans = list(Plan.objects.all())
    start = Subscriber.objects.count()
    today = timezone.localdate()
    with transaction.atomic():
        subscribers = Subscriber.objects.bulk_create(
            Subscriber(
                customer_number=f"K-{300000 + start + n}",
                name=f"Leserin {start + n}",
                organisation="Kreisverwaltung",
                email=f"leserin{start + n}@example.org",
                street="Am Markt 1",
                postcode=f"{rng.randint(1067, 99998):05d}",
                city=rng.choice(CITIES),
            )
            for n in range(missing)
        )
        contracts = []
        for subscriber in subscribers:
            begun = today - datetime.timedelta(days=rng.randint(0, 3000))
            contract = Subscription.agreed(
                subscriber, rng.choice(plans), concluded_on=begun, starts_on=begun,
                status=Subscription.Status.ACTIVE, accepted_at=timezone.now(),
            )  # fmt: skip
            contracts.append(contract)
        Subscription.objects.bulk_create(contracts, batch_size=5000)


def start_gunicorn(port, env, log_path, workers=3, timeout=30, access_log=False):
    """gunicorn serving portal.wsgi on 127.0.0.1:``port``, returned once /healthz/ answers.

    Its output goes to ``log_path`` (None: discarded). The caller stops it.
    ``access_log``: one line per response there, "xcache=hit|miss|-".
    """
    log = open(log_path, "w") if log_path else subprocess.DEVNULL  # noqa: SIM115
    command = [sys.executable, "-m", "gunicorn", "portal.wsgi", "-w", str(workers)]
    command += ["-b", f"127.0.0.1:{port}", "--timeout", str(timeout)]
    if access_log:
        command += ["--access-logfile", "-", "--access-logformat", "xcache=%({x-cache}o)s"]
    server = subprocess.Popen(command, cwd=BASE, env=env, stdout=log, stderr=log)
    for _ in range(300):
        try:
            connection = HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz/", headers={"Host": "localhost"})
            connection.getresponse().read()
            return server
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.1)
    server.kill()
    raise RuntimeError(f"gunicorn did not start; see {log_path}")
