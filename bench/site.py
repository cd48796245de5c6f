"""make bench: the reader pages at archive scale, over HTTP, as ratios to the framework floor.

1. Data, once: 200,000 articles over 20 years, 2,000 IT-Guide vendors (every
   tenth with a running campaign), 50,000 subscribers (var/bench/).
2. SQL queries per page, counted in this process: a page the cache does
   not have (with the fragments every page shares already cached, as after
   a reader's first page), a page from the cache, and everything cold.
3. gunicorn with production settings (DEBUG off, hashed and compressed
   static files, WORKERS sync workers for 2 cores), driven over loopback by
   wrk (Debian package "wrk"; a slower built-in driver where it is missing):
   each page type for BENCH_SECONDS at 16 connections, the floor (one query,
   a small template: bench.views.floor) and a static file as baselines in
   the same run, an uncached article on a second server with the cache off,
   and 60 seconds of mixed pages at 64 connections counting errors and the
   workers' memory.

4. The newsroom phase (bench/newsroom.py): readers across the archive while
   an article is saved every 10 s, campaigns start and end and the Plus box
   turns, with the cache hit ratio from the servers' access log. Only this
   phase (and the floor): BENCH_ONLY=newsroom, or make bench-newsroom.

Every server it starts is stopped at the end. Figures vary with the machine's
load; compare the ratios, which come from one run.
"""

import contextlib
import json
import logging
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import threading
import time
from http.client import HTTPConnection
from pathlib import Path

import benchdb
import newsroom

BASE = Path(__file__).resolve().parent.parent
VAR = BASE / "var" / "bench"
SECONDS = int(os.getenv("BENCH_SECONDS", "8"))
MIXED_SECONDS = int(os.getenv("BENCH_MIXED_SECONDS", "60"))
WORKERS = int(os.getenv("BENCH_WORKERS", "3"))  # 2 cores: a third hides the waits on PostgreSQL
CONNECTIONS = 16
PORT, UNCACHED_PORT, NEWSROOM_PORT = 8791, 8792, 8794
# More different archive articles than a run of uncached requests reaches.
MISS_PAGES = int(os.getenv("BENCH_MISS_PAGES", "5000"))
HOST = "localhost"


def pages():
    """One address per page type, chosen from the benchmark data."""
    from ads.models import Vendor
    from articles.models import Article

    article = Article.objects.published().order_by("-publish_at").first()
    vendor = Vendor.objects.listed().order_by("pk").first()
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "section": f"/rubrik/{article.section.slug}/",
        "tag": "/stichwort/ozg/",
        "search": "/suche/?q=Digitalisierung",
        "IT-Guide list": "/it-guide/",
        "vendor profile": vendor.get_absolute_url(),
        "RSS feed": "/feed/rss/",
        "PDF (stored)": article.get_pdf_url(),
    }


def count_queries(urls):
    """(page miss with shared fragments cached, page hit, all cold) queries per page."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST=HOST)

    def queries(url):
        executed = []

        def count(execute, sql, params, many, context):
            executed.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(url)
        return len(executed)

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 404s below are meant
    counts = {}
    for name, url in urls.items():
        cache.clear()
        cold = queries(url)
        cache.clear()
        client.get("/diese-seite-gibt-es-nicht/")  # the shared fragments, as after a first page
        counts[name] = (queries(url), queries(url), cold)
    return counts


def collectstatic(env):
    """Hashed, compressed static files for the production settings (once)."""
    if not (VAR / "static" / "staticfiles.json").exists():
        print("collecting static files (once) ...", flush=True)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=BASE,
            env=env,
            check=True,
        )
    manifest = json.loads((VAR / "static" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["css/portal.css"]


def server_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=f"{HOST},127.0.0.1",
        EMAIL_HOST=env.get("EMAIL_HOST", "localhost"),
        DJANGO_SSL_REDIRECT="0",  # loopback without TLS
        PYTHONPATH=str(BASE),
        **extra,
    )
    return env


@contextlib.contextmanager
def gunicorn(port, env, access_log=False):
    server = benchdb.start_gunicorn(
        port, env, VAR / f"gunicorn-{port}.log", workers=WORKERS, timeout=60, access_log=access_log
    )
    try:
        yield server
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def get(port, path):
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Host": HOST})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def headers(port, path, extra):
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Host": HOST, **extra})
    response = connection.getresponse()
    response.read()
    connection.close()
    return {name: response.getheader(name) for name in ("Cache-Control", "Content-Encoding")}


def worker_memory(server):
    """Resident memory of each gunicorn worker, in MB."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status)[1]) / 1024)
    return sizes


# Load drivers


def wrk(port, paths, seconds, connections):
    """(requests/s, p50 ms, p99 ms, requests, errors) from wrk, rotating through ``paths``."""
    script = VAR / "paths.lua"
    quoted = ", ".join(json.dumps(p) for p in paths)
    threads = min(2, connections)
    # Each wrk thread has its own Lua state: without an offset per thread all
    # would ask for the same addresses in the same order, and a rotation of
    # pages "never cached" would be half cache hits.
    script.write_text(
        f"local paths = {{{quoted}}}\nlocal started = 0\n"
        "function setup(thread)\n  thread:set('id', started)\n  started = started + 1\nend\n"
        "local i = nil\n"
        "request = function()\n  i = (i or id) + " + str(threads) + "\n"
        '  return wrk.format("GET", paths[(i % #paths) + 1], {["Host"] = "' + HOST + '"})\nend\n'
    )
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "10s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def ms(label):
        value, unit = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    requests = int(re.search(r"(\d+) requests in", out)[1])
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors += int(non_2xx[1]) if non_2xx else 0
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    return rate, ms("50"), ms("99"), requests, errors


def python_driver(port, paths, seconds, connections):
    """The same measurement with threads and keep-alive connections (slower than wrk)."""
    latencies, errors, stop = [], [0], time.monotonic() + seconds
    lock = threading.Lock()

    def client(offset):
        connection = HTTPConnection("127.0.0.1", port, timeout=10)
        i = offset
        mine = []
        while time.monotonic() < stop:
            path = paths[i % len(paths)]
            i += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Host": HOST})
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    errors[0] += 1
            except OSError:
                errors[0] += 1
                connection = HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1] if latencies else 0
    return (
        len(latencies) / elapsed,
        statistics.median(latencies or [0]),
        p99,
        len(latencies),
        errors[0],
    )


drive = wrk if shutil.which("wrk") else python_driver


def old_articles(count):
    """Addresses of ``count`` archive articles, none of them in the page cache yet."""
    from articles.models import Article

    articles = Article.objects.published().order_by("pk").only("pk", "slug")[:count]
    return [article.get_absolute_url() for article in articles]


def measure(port, path, seconds=SECONDS, connections=CONNECTIONS, rotate=None):
    """One page type: warm, then drive; ``rotate`` instead cycles through pages never cached."""
    if rotate:
        status, body = get(port, rotate[0])
        paths = rotate[1:]
    else:
        for _ in range(20):  # warm every worker and the cache
            get(port, path)
        status, body = get(port, path)
        paths = [path]
    log = VAR / f"gunicorn-{port}.log"
    since = log.stat().st_size if log.exists() else 0
    rate, p50, p99, requests, errors = drive(port, paths, seconds, connections)
    time.sleep(0.5)  # the access log is written after each response
    served = newsroom.cache_figures(log, since)
    if rotate and requests >= len(rotate):
        print(
            f"  note: {requests} requests, {len(rotate) - 1} different pages; "
            "some were cache hits (raise BENCH_MISS_PAGES)"
        )
    return {
        "rps": rate,
        "p50": p50,
        "p99": p99,
        "bytes": len(body),
        "status": status,
        "errors": errors,
        # What the page cache answered (from the access log's X-Cache), so a
        # row can say whether it timed the cache or the work it names.
        "cache": served,
    }


def hit_share(counts):
    """The share of responses the page cache answered; "-" where no response is cacheable."""
    served = counts["hit"] + counts["miss"]
    return f"{counts['hit'] / served:.0%}" if served else "-"


def newsroom_phase(floor):
    """Print the newsroom row: readers across the archive while editors save."""
    cache = "Redis (REDIS_URL)" if os.getenv("REDIS_URL") else "local memory per worker"
    print(
        f"\nnewsroom: {newsroom.SECONDS} s at 16 connections, cache {cache}; one article "
        f"saved every {newsroom.EDIT_SECONDS} s, a campaign started or ended every "
        f"{newsroom.CAMPAIGN_SECONDS} s, the Plus box turning every {newsroom.PLUS_SECONDS} s",
        flush=True,
    )
    rate, p50, p99, requests, errors, hit_ratio, done = newsroom.run(
        drive, gunicorn, server_env, VAR / f"gunicorn-{NEWSROOM_PORT}.log", NEWSROOM_PORT
    )
    print(
        f"{'newsroom':<20} {rate:>7.0f} {rate / floor:>8.2f} {p50:>7.1f} {p99:>7.1f}   "
        f"cache hits {hit_ratio:.1%} of the pages, {errors} errors, {requests} requests; "
        + ", ".join(f"{count} {what}" for what, count in done.items())
    )


def main():
    benchdb.setup_django()
    benchdb.ensure_articles(200_000)
    benchdb.ensure_vendors(2_000)
    benchdb.ensure_subscribers(50_000)
    if os.getenv("BENCH_ONLY") == "newsroom":
        collectstatic(server_env())
        with gunicorn(PORT, server_env()):
            floor = measure(PORT, "/bench/floor/")["rps"]
        print(f"\nfloor: {floor:.0f} requests/s (one query, a small template)")
        newsroom_phase(floor)
        return
    urls = pages()
    queries = count_queries(urls)
    env = server_env()
    static = collectstatic(env)
    driver = "wrk" if drive is wrk else "built-in Python driver (install wrk for truer figures)"
    print(
        f"\ngunicorn, {WORKERS} sync workers, production settings; {driver}; "
        f"{CONNECTIONS} connections, {SECONDS} s per page\n",
        flush=True,
    )

    rows = {}
    with gunicorn(PORT, env, access_log=True) as server:
        rows["floor"] = measure(PORT, "/bench/floor/")
        rows["static file"] = measure(PORT, static)
        static_headers = headers(PORT, static, {"Accept-Encoding": "gzip, br"})
        for name, url in urls.items():
            rows[name] = measure(PORT, url)
            print(f"  {name}: {rows[name]['rps']:.0f} requests/s", flush=True)
        # Readers of the archive: each article once, so each is a page-cache miss.
        rows["article, not cached"] = measure(PORT, None, rotate=old_articles(MISS_PAGES))
        memory_before = worker_memory(server)
        mixed = drive(PORT, list(urls.values()), MIXED_SECONDS, 64)
        memory_after = worker_memory(server)
    with gunicorn(UNCACHED_PORT, server_env(BENCH_CACHE="off"), access_log=True):
        rows["article, cache off"] = measure(UNCACHED_PORT, urls["article"])

    floor = rows["floor"]["rps"]
    print(
        f"\n{'page':<20} {'req/s':>7} {'× floor':>8} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'SQL miss':>8} {'SQL hit':>7} {'SQL cold':>8} {'bytes':>8} {'cache hits':>10}"
    )
    for name, row in rows.items():
        sql = queries.get(name.removesuffix(", cache off"), ("", "", ""))
        if name in ("floor",):
            sql = (1, 1, 1)
        if name == "static file":
            sql = (0, 0, 0)
        if name in ("article, cache off", "article, not cached"):
            sql = queries["article"]
            sql = (sql[2], "", sql[2]) if name.endswith("off") else (sql[0], "", sql[2])
        flag = (
            ""
            if row["status"] == 200 and not row["errors"]
            else f"  ({row['errors']} errors, status {row['status']})"
        )
        print(
            f"{name:<20} {row['rps']:>7.0f} {row['rps'] / floor:>8.2f} {row['p50']:>7.1f} "
            f"{row['p99']:>7.1f} {sql[0]!s:>8} {sql[1]!s:>7} {sql[2]!s:>8} {row['bytes']:>8}"
            f" {hit_share(row['cache']):>10}{flag}"
        )
    rate, p50, p99, requests, errors = mixed
    print(
        f"\nmixed pages, 64 connections, {MIXED_SECONDS} s: {requests} requests, {rate:.0f}/s, "
        f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, {errors} errors"
    )
    print(
        "worker memory (MB) before → after: "
        + ", ".join(
            f"{a:.0f} → {b:.0f} ({(b - a) / a:+.1%})"
            for a, b in zip(memory_before, memory_after, strict=True)
        )
    )
    print(f"each worker served about {requests // WORKERS} of those requests")
    print(
        f"static file {static}: Cache-Control {static_headers['Cache-Control']}, "
        f"Content-Encoding {static_headers['Content-Encoding']}"
    )
    newsroom_phase(floor)


if __name__ == "__main__":
    main()
