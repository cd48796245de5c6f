"""How fast article PDFs are, and that a burst of them leaves the rest of the site alone.

    .venv/bin/python bench/pdf.py [--runs 10] [--burst 16]

Part 1, in this process: a 1,500-word article with a picture and six tags;
its page (the baseline), its PDF rendered afresh, and its PDF from storage.
Targets: first render under 1.5 s, stored PDF under 20 ms.

Part 2, over HTTP: gunicorn with 4 workers and 2 PDF rendering slots on
loopback; --burst readers ask for different uncached PDFs at once while
another reader keeps loading article pages. It reports how many PDFs were
rendered or refused (503), how long the slowest PDF request took, and the
article page latency during the burst as a ratio to before it.

Uses the database of bench/admin.py under var/bench/ (or BENCH_DATABASE_URL).
"""

import argparse
import os
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from benchdb import setup_django, start_gunicorn

PORT = 8765
WORKERS, SLOTS, WAIT_MS = 4, 2, 300


def long_article():
    """The benchmark's article: 1,500 words, a lead picture, six tags."""
    from django.core.files.base import ContentFile

    from articles.demo.pictures import demo_picture
    from articles.models import Article, Image, Section
    from portal.lib.images import make_renditions

    article = Article.objects.filter(kicker="Benchmark").first()
    if article:
        return article
    image = Image(alt_text="Ein Rathaus", caption="Das Rathaus.", credit="Redaktion")
    image.file = ContentFile(demo_picture("bench", 1600, 1067), name="bench.jpg")
    image.save()
    make_renditions(image)
    sentence = "Die Verwaltung digitalisiert ihre Leistungen Schritt für Schritt weiter. "
    paragraphs = "".join(f"<p>{sentence * 15}</p>" for _ in range(15))  # ~1,500 words
    article = Article.objects.create(
        section=Section.objects.first(),
        kicker="Benchmark",
        headline="Ein langer Artikel für die PDF-Messung",
        teaser="Ein Artikel mit 1.500 Wörtern, einem Bild und sechs Stichwörtern.",
        body=paragraphs,
        byline="ba",
        lead_image=image,
        status=Article.Status.PUBLISHED,
    )
    article.set_tags(["Politik", "OZG", "Cloud", "E-Akte", "KI", "Open Data"])
    return article


def time_ms(fn, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def part_one(runs):
    from django.test import Client

    article = long_article()
    client = Client()
    page_states = []

    def page():
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        page_states.append(response.get("X-Cache"))

    def fresh_pdf():
        remove_pdfs(article)
        response = client.get(article.get_pdf_url())
        assert response["X-PDF-Cache"] == "miss", response.status_code

    def stored_pdf():
        response = client.get(article.get_pdf_url())
        assert response["X-PDF-Cache"] == "hit"

    page()
    fresh_pdf()
    base, _ = time_ms(page, runs)
    first, first_max = time_ms(fresh_pdf, runs)
    cached, cached_max = time_ms(stored_pdf, runs)
    print("Part 1: one article of 1,500 words with a picture and six tags (in process)")
    print(f"{'request':28} {'p50 ms':>8} {'max ms':>8} {'×page':>7}  target")
    hits = page_states.count("hit")
    print(f"{'article page (baseline)':28} {base:>8.1f} {'':>8} {1:>7.1f}")
    print(f"  (the baseline is the page cache's: {hits} of {len(page_states)} were cache hits)")
    print(
        f"{'PDF, first render':28} {first:>8.1f} {first_max:>8.1f} {first / base:>7.1f}  < 1500 ms {'ok' if first < 1500 else 'MISSED'}"
    )
    print(
        f"{'PDF, from storage':28} {cached:>8.1f} {cached_max:>8.1f} {cached / base:>7.1f}  < 20 ms {'ok' if cached < 20 else 'MISSED'}"
    )
    return first < 1500 and cached < 20


def remove_pdfs(article):
    from django.core.files.storage import default_storage

    folder = f"pdf/{article.pk}"
    if default_storage.exists(folder):
        for name in default_storage.listdir(folder)[1]:
            default_storage.delete(f"{folder}/{name}")


def get(url):
    """(status, milliseconds, X-PDF-Cache header) of one GET."""
    started = time.perf_counter()
    cache = ""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            status, cache = response.status, response.headers.get("X-PDF-Cache", "")
    except urllib.error.HTTPError as error:
        status = error.code
    return status, (time.perf_counter() - started) * 1000, cache


def part_two(burst):
    from articles.models import Article

    long = long_article()
    articles = list(
        Article.objects.published().exclude(pk=long.pk).order_by("-publish_at")[:burst]
    )
    for article in [*articles, long]:
        remove_pdfs(article)
    env = {
        **os.environ,
        "PORTAL_PDF_SLOTS": str(SLOTS),
        "PORTAL_PDF_WAIT_MS": str(WAIT_MS),
        "DJANGO_DEBUG": "0",
    }
    server = start_gunicorn(PORT, env, None, workers=WORKERS, timeout=60)
    base_url = f"http://127.0.0.1:{PORT}"
    page_url = base_url + articles[0].get_absolute_url()
    try:
        for _ in range(20):  # warm every worker
            get(page_url)
        before = [get(page_url)[1] for _ in range(40)]
        print(
            f"\nPart 2: bursts of {burst} PDF requests at once; gunicorn, {WORKERS} workers,"
            f" {SLOTS} rendering slots, a PDF request waits at most {WAIT_MS} ms"
        )
        print(
            f"article page p50 before any burst: {statistics.median(before):.1f} ms"
            " (a page-cache hit: what the PDF bursts may slow down is the cached page)"
        )
        different = [base_url + a.get_pdf_url() for a in articles]
        same = [base_url + long.get_pdf_url()] * burst
        ok = burst_while_reading(page_url, different, "different uncached PDFs", before)
        ok = burst_while_reading(page_url, same, "the same uncached 1,500-word PDF", before) and ok
    finally:
        server.terminate()
        server.wait(timeout=30)
    return ok


def burst_while_reading(page_url, urls, what, before):
    """Fire the PDF requests at once while one reader keeps loading an article page."""
    during, stop = [], threading.Event()

    def reader():
        while not stop.is_set():
            during.append(get(page_url)[1])

    watcher = threading.Thread(target=reader)
    watcher.start()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(urls)) as pool:
        results = list(pool.map(get, urls))
    seconds = time.perf_counter() - started
    stop.set()
    watcher.join()
    rendered = sum(1 for status, _, cache in results if status == 200 and cache == "miss")
    stored = sum(1 for status, _, cache in results if status == 200 and cache == "hit")
    refused = sum(1 for status, _, _ in results if status == 503)
    slowest = max(ms for _, ms, _ in results)
    p50 = statistics.median(during)
    p95 = statistics.quantiles(during, n=20)[18] if len(during) >= 20 else max(during)
    print(
        f"- {what}: rendered {rendered}, served from storage {stored}, refused (503) {refused};"
        f" slowest {slowest:.0f} ms; over after {seconds:.1f} s"
    )
    print(
        f"  article page during it: p50 {p50:.1f} ms (×{p50 / statistics.median(before):.1f}),"
        f" p95 {p95:.1f} ms, {len(during)} pages served"
    )
    return rendered + stored + refused == len(results)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--burst", type=int, default=16)
    args = parser.parse_args()
    setup_django()
    ok = part_one(args.runs)
    ok = part_two(args.burst) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
