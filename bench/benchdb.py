"""The benchmarks' database: its own embedded PostgreSQL under var/bench/, or BENCH_DATABASE_URL."""

import os
import sys
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent


def setup_django():
    """Point Django at the benchmark database, set it up and migrate it."""
    sys.path.insert(0, str(BASE))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1")
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
