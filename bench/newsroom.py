"""The newsroom phase of make bench: readers across the archive while the newsroom works.

Half the requests go to the newest 100 articles, the rest are spread over the
newest 20,000 articles plus home, section and tag pages. Meanwhile one
article, chosen at random from the whole archive, is saved through the ORM
every EDIT_SECONDS, a campaign starts or ends every CAMPAIGN_SECONDS, and the
IT-Guide Plus box turns every PLUS_SECONDS (a benchmark setting the servers
get through BENCH_PLUS_ROTATION_SECONDS). The servers log each response's
X-Cache header, so the phase reports how many pages the cache served.
Before the timed run every address is asked for once (the cache is warm
from earlier readers, as on a portal that has been running for a while).
"""

import collections
import datetime
import os
import random
import threading
import time

SECONDS = int(os.getenv("BENCH_NEWSROOM_SECONDS", "60"))
EDIT_SECONDS, CAMPAIGN_SECONDS, PLUS_SECONDS = 10, 20, 15
NEWEST, SPREAD = 100, 20_000
REQUESTS_PLANNED = 60_000  # more than a run reaches; the list is cycled otherwise


def reader_paths(rng):
    """The addresses readers ask for, in the order the load driver sends them."""
    from articles.models import Article, Section, Tag

    articles = list(
        Article.objects.published().order_by("-publish_at").only("pk", "slug")[:SPREAD]
    )
    urls = [article.get_absolute_url() for article in articles]
    lists = ["/"] + [f"/rubrik/{slug}/" for slug in Section.objects.values_list("slug", flat=True)]
    lists += [
        f"/stichwort/{slug}/"
        for slug in Tag.objects.order_by("pk").values_list("slug", flat=True)[:50]
    ]
    spread = urls + lists
    return [
        rng.choice(urls[:NEWEST]) if rng.random() < 0.5 else rng.choice(spread)
        for _ in range(REQUESTS_PLANNED)
    ]


class Newsroom(threading.Thread):
    """Edits and campaign changes at their pace until stopped; counts what it did."""

    def __init__(self, rng):
        super().__init__(daemon=True)
        self.rng, self.stopped, self.done = rng, threading.Event(), collections.Counter()

    def run(self):
        from django.db import connection

        started = time.monotonic()
        next_edit, next_campaign = started + EDIT_SECONDS, started + CAMPAIGN_SECONDS
        try:
            while not self.stopped.wait(0.2):
                now = time.monotonic()
                if now >= next_edit:
                    self.save_an_article()
                    next_edit += EDIT_SECONDS
                if now >= next_campaign:
                    self.start_or_end_a_campaign()
                    next_campaign += CAMPAIGN_SECONDS
        finally:
            connection.close()

    def save_an_article(self):
        from django.db.models import Max, Min

        from articles.models import Article

        bounds = Article.objects.aggregate(low=Min("pk"), high=Max("pk"))
        article = None
        while article is None:
            pk = self.rng.randint(bounds["low"], bounds["high"])
            article = Article.objects.filter(pk=pk).first()
        article.headline = article.headline.removesuffix(" (aktualisiert)") + " (aktualisiert)"
        article.save()
        self.done["articles saved"] += 1

    def start_or_end_a_campaign(self):
        from django.utils import timezone

        from ads.models import Campaign

        now = timezone.now()
        running = Campaign.objects.filter(starts_at__lte=now, ends_at__gt=now).order_by("?")
        if self.done["campaign changes"] % 2 == 0 and (campaign := running.first()):
            Campaign.objects.filter(pk=campaign.pk).update(ends_at=now)
        else:
            campaign = Campaign.objects.order_by("?").first()
            Campaign.objects.filter(pk=campaign.pk).update(
                starts_at=now, ends_at=now + datetime.timedelta(days=30)
            )
        self.done["campaign changes"] += 1


def cache_figures(log_path, since):
    """Responses by X-Cache value in the access log lines written after byte ``since``."""
    with open(log_path, "rb") as log:
        log.seek(since)
        lines = log.read().decode(errors="replace").splitlines()
    counts = collections.Counter()
    for line in lines:
        if line.startswith("xcache="):
            counts[line.removeprefix("xcache=").strip() or "-"] += 1
    return counts


def warm(port, paths, connections=16):
    """Ask for every address once, as the readers of the hours before would have.

    A portal's cache is warm from earlier traffic; without this the run
    would measure first visits of 20,000 pages. Returns (pages, seconds).
    """
    from http.client import HTTPConnection

    unique, started = list(dict.fromkeys(paths)), time.monotonic()

    def client(offset):
        connection = HTTPConnection("127.0.0.1", port, timeout=30)
        for path in unique[offset::connections]:
            connection.request("GET", path, headers={"Host": "localhost"})
            connection.getresponse().read()
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(unique), time.monotonic() - started


def run(drive, gunicorn, server_env, log_path, port):
    """The phase's row: (rate, p50, p99, requests, errors, hit ratio, what the newsroom did)."""
    rng = random.Random(17)  # noqa: S311 - a benchmark's choice, not a secret
    paths = reader_paths(rng)
    env = server_env(BENCH_PLUS_ROTATION_SECONDS=str(PLUS_SECONDS))
    with gunicorn(port, env, access_log=True):
        pages, seconds = warm(port, paths)
        print(f"  warmed {pages} pages in {seconds:.0f} s ({pages / seconds:.0f}/s, misses)")
        since = os.path.getsize(log_path)
        newsroom = Newsroom(rng)
        newsroom.start()
        try:
            rate, p50, p99, requests, errors = drive(port, paths, SECONDS, 16)
        finally:
            newsroom.stopped.set()
            newsroom.join(30)
        time.sleep(1)  # the access log is written after each response
    counts = cache_figures(log_path, since)
    served = counts["hit"] + counts["miss"]
    hit_ratio = counts["hit"] / served if served else 0.0
    return rate, p50, p99, requests, errors, hit_ratio, newsroom.done
