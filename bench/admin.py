"""How fast the back office answers with a large archive.

    .venv/bin/python bench/admin.py [--articles 200000] [--runs 20]

Uses its own embedded database under var/bench/ (or BENCH_DATABASE_URL), fills
it with generated articles once, then times the article changelist (plain,
filtered, searched, by year), the change form, the tag autocomplete and the
preview with Django's test client, in this process: the figures are server
time without the network. Each figure is also given as a ratio to the admin
index page, measured in the same run, since this machine is shared and noisy.
"""

import argparse
import statistics
import sys
import time

from benchdb import ensure_articles, setup_django

TARGET_MS = 300


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    setup_django()
    from django.contrib.auth.models import Group, User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article, Section

    ensure_articles(args.articles)
    chief, _ = User.objects.get_or_create(username="bench-chefin", defaults={"is_staff": True})
    chief.groups.add(Group.objects.get(name="Chefredaktion"))
    client = Client()
    client.force_login(chief)

    article = Article.objects.order_by("-publish_at").first()
    section = Section.objects.get(slug="politik")
    cases = [
        ("admin index (baseline)", "/admin/"),
        ("changelist", "/admin/articles/article/"),
        ("changelist page 50", "/admin/articles/article/?p=50"),
        ("filter status=Entwurf", "/admin/articles/article/?status__exact=draft"),
        ("filter status=Geplant", "/admin/articles/article/?status=scheduled"),
        ("filter section", f"/admin/articles/article/?section__id__exact={section.pk}"),
        ("filter status+section", f"/admin/articles/article/?status__exact=review&section__id__exact={section.pk}"),
        ("filter featured", "/admin/articles/article/?featured__exact=1"),
        ("filter kind=Interview", "/admin/articles/article/?kind__exact=interview"),
        ("sorted by headline", "/admin/articles/article/?o=1"),
        ("search 'Sachsen'", "/admin/articles/article/?q=Sachsen"),
        ("search 'Digitalis' (prefix)", "/admin/articles/article/?q=Digitalis"),
        ("year 2019", "/admin/articles/article/?publish_at__year=2019"),
        ("change form", f"/admin/articles/article/{article.pk}/change/"),
        ("tag autocomplete 'Sa'", "/admin/autocomplete/?app_label=articles&model_name=article&field_name=tags&term=Sa"),
        ("section autocomplete 'Po'", "/admin/autocomplete/?app_label=articles&model_name=article&field_name=section&term=Po"),
        ("lead image autocomplete 'Ra'", "/admin/autocomplete/?app_label=articles&model_name=article&field_name=lead_image&term=Ra"),
        ("planning week", "/admin/articles/article/planung/?ansicht=woche&datum=2020-03-02"),
        ("planning month", "/admin/articles/article/planung/?ansicht=monat&datum=2020-03-02"),
        ("preview", f"/admin/articles/article/{article.pk}/vorschau/"),
        ("versions", f"/admin/articles/article/{article.pk}/versionen/"),
    ]  # fmt: skip

    total = Article.objects.count()
    print(f"\n{total} articles; {args.runs} runs each; server time in this process\n")
    print(f"{'view':32} {'status':>6} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'×base':>6}  ok")
    baseline = None
    failures = cached = 0
    for name, url in cases:
        client.get(url)  # warm caches and connections
        times = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            cached += "X-Cache" in response
        p50 = statistics.median(times)
        p95 = statistics.quantiles(times, n=20)[18] if len(times) >= 20 else max(times)
        baseline = baseline or p50
        ok = response.status_code == 200 and p95 < TARGET_MS
        failures += not ok
        print(
            f"{name:32} {response.status_code:>6} {len(queries):>7} {p50:>8.1f} {p95:>8.1f}"
            f" {p50 / baseline:>6.1f}  {'yes' if ok else 'NO'}"
        )
    print(f"\ntarget: every view p95 < {TARGET_MS} ms; {failures} over target")
    # Staff never get pages from the page cache; a row that did would time the cache.
    print(f"runs the page cache answered: {cached} (must be 0)")
    return 1 if failures or cached else 0


if __name__ == "__main__":
    sys.exit(main())
