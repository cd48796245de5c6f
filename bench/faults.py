"""make faults: what readers see while PostgreSQL restarts, Redis is gone, a worker is killed,
and how the subscriber forms answer while the mail server is slow.

A small site of its own (var/faults/: embedded PostgreSQL with the demo
content, a private redis-server on port 6391 if the machine has one) under
gunicorn with production settings, read all the while by 8 clients in a
loop over mixed pages. Each phase prints the requests answered, by status,
the slowest answer and, after a fault, how long until pages came back.

Bounded: about a minute and a half; every process it starts is stopped.
"""

import collections
import contextlib
import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.client import HTTPConnection
from pathlib import Path

from benchdb import start_gunicorn

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
from tests.smtpsink import SmtpSink  # noqa: E402 - the project's root, just added

VAR = BASE / "var" / "faults"
PORT, REDIS_PORT = 8793, 6391
LOAD_SECONDS = int(os.getenv("FAULTS_LOAD_SECONDS", "60"))
CLIENTS = 8
# Requests timed per kind (a subscriber's address, an unknown one) and form; the
# medians may differ by this factor at most, or the run fails.
TIMED = 30
RATIO_LIMIT = 1.2
PAGES = ["/", "/archiv/", "/it-guide/", "/suche/?q=Digitalisierung", "/feed/rss/"]


def setup():
    sys.path.insert(0, str(BASE))
    VAR.mkdir(parents=True, exist_ok=True)
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        PORTAL_PGDATA=str(VAR / "pgdata"),
        PORTAL_MEDIA_ROOT=str(VAR / "media"),
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # Production serves the collected, hashed static files (the error pages' too).
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE,
        env={
            **os.environ,
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": "x" * 50,
            "EMAIL_HOST": "localhost",
        },
        check=True,
    )
    call_command("seed_demo", "--if-empty", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("seed_subscriptions_demo", "--if-empty", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from django.db import connection

    from portal.lib import ratelimit
    from subscriptions.models import Subscriber

    # The limits count in the database, which outlives a run: each run starts afresh.
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {ratelimit.TABLE}")  # noqa: S608 - a constant
    for n in range(TIMED):
        Subscriber.objects.get_or_create(
            email=timed_subscriber(n),
            defaults={"name": f"Zeit Messung {n}", "street": "Messweg 1", "postcode": "10115",
                      "city": "Berlin"},
        )  # fmt: skip
    from articles.models import Article

    article = Article.objects.published().order_by("-publish_at").first()
    PAGES.append(article.get_absolute_url())


class Readers:
    """CLIENTS threads reading PAGES in a loop; every answer is kept with its time."""

    def __init__(self):
        self.answers = []  # (time, status or exception name, seconds)
        self.lock = threading.Lock()
        self.running = True
        self.threads = [threading.Thread(target=self.read, args=(n,)) for n in range(CLIENTS)]

    def read(self, offset):
        i = offset
        while self.running:
            path = PAGES[i % len(PAGES)]
            i += 1
            started = time.monotonic()
            try:
                connection = HTTPConnection("127.0.0.1", PORT, timeout=15)
                connection.request("GET", path, headers={"Host": "localhost"})
                response = connection.getresponse()
                response.read()
                status = response.status
                connection.close()
            except OSError as error:
                status = type(error).__name__
                time.sleep(0.05)
            with self.lock:
                self.answers.append((started, status, time.monotonic() - started))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        for thread in self.threads:
            thread.join()

    def between(self, start, end):
        with self.lock:
            return [a for a in self.answers if start <= a[0] < end]


def report(name, answers, fault_at=None):
    counts = collections.Counter(status for _t, status, _s in answers)
    slowest = max((seconds for _t, _st, seconds in answers), default=0)
    recovered = ""
    if fault_at is not None:
        bad = [t for t, status, _s in answers if status != 200]
        if bad:
            back = [t for t, status, _s in answers if status == 200 and t > max(bad)]
            recovered = f"; errors {min(bad) - fault_at:+.1f} s to {max(bad) - fault_at:+.1f} s"
            if back:
                recovered += f", pages back {min(back) - fault_at:.1f} s after the fault"
        else:
            recovered = "; no errors"
    statuses = ", ".join(f"{status}: {n}" for status, n in sorted(counts.items(), key=str))
    print(
        f"{name:<34} {len(answers):>6} requests ({statuses}); slowest {slowest:.2f} s{recovered}"
    )


def gunicorn(env, log_name="gunicorn.log"):
    return start_gunicorn(PORT, env, VAR / log_name)


def post_cancellations(seconds, results):
    """A trickle of cancellations, each from its own reader address (through the "proxy")."""
    import http.cookiejar
    import re
    import urllib.parse
    import urllib.request

    stop = time.monotonic() + seconds
    n = 0
    while time.monotonic() < stop:
        n += 1
        headers = {
            "Host": "localhost",
            "X-Forwarded-For": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",
        }
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        opener.addheaders = list(headers.items())
        try:
            form = (
                opener.open(f"http://127.0.0.1:{PORT}/abo/kuendigen/", timeout=15).read().decode()
            )
            # The form's own token (subscriptions.forgery): it needs no cookie.
            token = re.search(r'name="form_token" value="([^"]+)"', form)[1]
            key = re.search(r'name="submission" value="([^"]+)"', form)[1]
            data = urllib.parse.urlencode(
                {
                    "form_token": token,
                    "submission": key,
                    "kind": "ordinary",
                    "name": f"Last Test {n}",
                    "identifier": f"K-9{n:05d}",
                    "contract": "alle",
                    "email": f"last{n}@example.org",
                }
            ).encode()
            with opener.open(
                f"http://127.0.0.1:{PORT}/abo/kuendigen/", data=data, timeout=15
            ) as answer:
                results.append(answer.status)  # the receipt page, after the redirect
        except urllib.error.HTTPError as error:
            results.append(error.code)
        except OSError as error:
            results.append(type(error).__name__)
        time.sleep(0.2)


def load_with_forms(seconds):
    """64 connections of mixed pages (wrk) and cancellations posted meanwhile; then count them."""
    from django.db import connection

    from subscriptions.models import Declaration, OutgoingMail

    connection.close()  # this process's connection did not survive the restart above
    before = Declaration.objects.count()
    mails_before = OutgoingMail.objects.filter(purpose="declaration").count()
    posted = []
    poster = threading.Thread(target=post_cancellations, args=(seconds, posted))
    poster.start()
    script = VAR / "pages.lua"
    quoted = ", ".join(f'"{p}"' for p in PAGES)
    script.write_text(
        f"local paths = {{{quoted}}}\nlocal i = 0\nrequest = function()\n  i = i + 1\n"
        '  return wrk.format("GET", paths[(i % #paths) + 1], {["Host"] = "localhost"})\nend\n'
    )
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            "-c64",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            f"http://127.0.0.1:{PORT}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    poster.join()
    requests = int(re.search(r"(\d+) requests in", out)[1])
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    stored = Declaration.objects.count() - before
    accepted = posted.count(200)
    mails = OutgoingMail.objects.filter(purpose="declaration").count() - mails_before
    print(
        f"{'load: 64 connections + forms':<34} {requests:>6} page requests, "
        f"{non_2xx[1] if non_2xx else 0} non-2xx, socket errors: "
        f"{socket_errors[1] if socket_errors else 'none'}"
    )
    print(
        f"{'':<34} {len(posted)} cancellations sent, {accepted} confirmed on screen, "
        f"{stored} stored in the database; {mails} confirmation mails in the outbox "
        "(the mail server here is unreachable: they wait for the worker)"
    )


def mail_server_returns(env):
    """The worker meets the mail server down, then back: its retries send what waited."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from subscriptions.models import OutgoingMail

    waiting = OutgoingMail.objects.filter(state=OutgoingMail.State.QUEUED)
    count = waiting.count()
    worker = [sys.executable, "manage.py", "worker", "--batch", "--verbosity", "0"]
    # The server is still unreachable: every task fails once and comes back later.
    subprocess.run(worker, cwd=BASE, check=True, capture_output=True, env=env)
    refused = waiting.filter(attempts__gte=1).count()
    # As when their retry time has come.
    waiting.update(next_attempt_at=timezone.now())
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    sink = SmtpSink().start()
    started = time.monotonic()
    subprocess.run(
        worker,
        cwd=BASE,
        check=True,
        capture_output=True,
        env={**env, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(sink.port)},
    )
    sink.shutdown()
    left = waiting.count()
    print(
        f"{'mail server back, worker retries':<34} {count} mails waited ({refused} refused "
        f"while it was down), {sink.received} delivered in {time.monotonic() - started:.1f} s, "
        f"{left} still waiting"
    )


DEMO_SUBSCRIBERS = [
    "erika.mustermann@example.org",
    "max.beispiel@example.org",
    "s.vorbild@example.org",
]


def login_link_requests(rounds=4, pause=2.2):
    """Seconds until the answer, for subscribers' addresses and for unknown ones, alternating.

    Each known address is asked ``rounds`` times (the limit is 5 an hour);
    after each, a pause longer than the mail server's delay, so that the next
    request finds a worker free (a sync worker sends the mail after answering).
    The median is robust to the slower first request each worker serves.
    (With a single worker, the next request would wait for that worker to
    finish sending: the answer no longer waits for the mail server, but the
    worker still does; as every address gets a mail, alike for all.)
    """
    times = {"known": [], "unknown": []}
    n = 0
    for _ in range(rounds):
        for known in DEMO_SUBSCRIBERS:
            n += 1
            for kind, email in (("unknown", f"niemand{n}@example.org"), ("known", known)):
                opener = browser(f"10.9.{n}.1")
                fields = {"csrfmiddlewaretoken": csrf_token(opener, "/abo/"), "email": email}
                times[kind].append(timed_post(opener, "/abo/", fields)[0])
            time.sleep(pause)
    return {kind: sorted(values)[len(values) // 2] for kind, values in times.items()}


@contextlib.contextmanager
def served_with_mail_server(env, log_name, delay=0.0):
    """gunicorn and a worker with a mail server of their own that answers after ``delay`` s;
    yields the latter.

    A log of its own: the main run's log is read for its errors at the end.
    """
    sink = SmtpSink(delay=delay).start()
    mail_env = {**env, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(sink.port)}
    server = gunicorn(mail_env, log_name)
    worker_log = (VAR / log_name.replace("gunicorn", "worker")).open("w")
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--verbosity", "0"],
        cwd=BASE,
        env=mail_env,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield sink
    finally:
        worker.terminate()  # finishes the task at hand, then stops
        worker.wait(timeout=60)
        worker_log.close()
        server.terminate()
        server.wait(timeout=30)
        sink.shutdown()


def slow_mail_server(env):
    """A mail server that takes 2 s to answer: the forms still answer at once, alike for all."""
    with served_with_mail_server(env, "gunicorn-slow-mail.log", delay=2.0) as sink:
        median = login_link_requests()
        time.sleep(sink.delay + 2)  # the worker sends them after the answers
    print(
        f"{'mail server slow (2 s per mail)':<34} login-link request answered in "
        f"{median['known'] * 1000:.0f} ms for a subscriber's address, "
        f"{median['unknown'] * 1000:.0f} ms for an unknown one (median of 12; ratio "
        f"{median['known'] / median['unknown']:.2f}); {sink.received} mails delivered "
        "(links and notes)"
    )


def timed_subscriber(n):
    return f"zeitmessung{n}@example.org"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """The answer to the POST itself is timed, not the page it redirects to."""

    def redirect_request(self, *args, **kwargs):
        return None


def browser(address):
    """A reader with cookies, behind the "proxy" at ``address``; redirects are not followed."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
    )
    opener.addheaders = [("Host", "localhost"), ("X-Forwarded-For", address)]
    return opener


def csrf_token(opener, path):
    page = opener.open(f"http://127.0.0.1:{PORT}{path}", timeout=30).read().decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]


def timed_post(opener, path, fields):
    """Seconds until the answer, and its status (a redirect counts as an answer)."""
    data = urllib.parse.urlencode(fields).encode()
    started = time.monotonic()
    try:
        with opener.open(f"http://127.0.0.1:{PORT}{path}", data=data, timeout=30) as answer:
            answer.read()
            status = answer.status
    except urllib.error.HTTPError as error:
        status = error.code
    return time.monotonic() - started, status


def subscribers_untold():
    """Login-link and e-mail-change requests for subscribers' addresses and unknown ones.

    Alternating, each from a reader address of its own; the work after the
    answer (sending the mail, to a quick mail server here) is over before
    the next request. Returns {form: {kind: [(seconds, status)]}}.
    """
    from django.db import connection

    from subscriptions.models import LinkToken, Subscriber

    connection.close()  # this process's connection may not have survived the restart
    times = {
        "login link": collections.defaultdict(list),
        "e-mail change": collections.defaultdict(list),
    }
    for n in range(TIMED):
        order = [("subscriber", timed_subscriber(n)), ("unknown", f"niemand{n}@example.org")]
        for kind, email in order if n % 2 else reversed(order):
            opener = browser(f"10.10.{n}.1")
            token = csrf_token(opener, "/abo/")
            fields = {"csrfmiddlewaretoken": token, "email": email}
            times["login link"][kind].append(timed_post(opener, "/abo/", fields))
            time.sleep(0.1)
    # Each logged-in subscriber asks four times (the limit is five an hour):
    # twice for another subscriber's address, twice for a free one.
    for n in range(TIMED // 2):
        subscriber = Subscriber.objects.get(email=timed_subscriber(n))
        opener = browser(f"10.11.{n}.1")
        secret = LinkToken.issue(subscriber, LinkToken.Purpose.LOGIN)
        login = f"/abo/anmelden/{secret}/"
        status = timed_post(opener, login, {"csrfmiddlewaretoken": csrf_token(opener, login)})[1]
        assert status == 302, f"login for the e-mail change: {status}"
        token = csrf_token(opener, "/abo/")
        for k in range(4):
            if (n + k) % 2:
                kind, email = "subscriber", timed_subscriber((n + 1 + k) % TIMED)
            else:
                kind, email = "unknown", f"neu{n}.{k}@example.org"
            fields = {"csrfmiddlewaretoken": token, "email": email}
            times["e-mail change"][kind].append(timed_post(opener, "/abo/email/", fields))
            time.sleep(0.1)
    return times


def no_timing_tells(env):
    """Fails the run if a form answers slower by RATIO_LIMIT for subscribers' addresses."""
    with served_with_mail_server(env, "gunicorn-timing.log"):
        times = subscribers_untold()
    failed = []
    for form, by_kind in times.items():
        statuses = collections.Counter(status for kind in by_kind.values() for _s, status in kind)
        median = {
            kind: sorted(seconds for seconds, _status in answers)[len(answers) // 2]
            for kind, answers in by_kind.items()
        }
        ratio = median["subscriber"] / median["unknown"]
        verdict = "ok" if ratio < RATIO_LIMIT and set(statuses) == {302} else "FAILED"
        if verdict != "ok":
            failed.append(form)
        print(
            f"{form + ': subscriber vs unknown':<34} {median['subscriber'] * 1000:.1f} ms "
            f"vs {median['unknown'] * 1000:.1f} ms (medians of {len(by_kind['unknown'])}); "
            f"ratio {ratio:.2f}, limit {RATIO_LIMIT}: {verdict} "
            f"({', '.join(f'{s}: {c}' for s, c in sorted(statuses.items()))})"
        )
    return failed


def postgres(action):
    """pg_ctl on the embedded server (fast: open connections are cut)."""
    import pwd

    from pgserver._commands import pg_ctl

    pgdata = Path(os.environ["PORTAL_PGDATA"])
    owner = pgdata.stat().st_uid
    user = None if owner == os.getuid() else pwd.getpwuid(owner).pw_name
    pg_ctl(["-w", "-m", "fast", action], pgdata=pgdata, user=user, timeout=60)


def restart_postgres():
    postgres("restart")


def main():
    setup()
    redis_server = None
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=os.urandom(32).hex(),
        DJANGO_ALLOWED_HOSTS="localhost,127.0.0.1",
        DJANGO_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",  # loopback without TLS: the CSRF cookie must travel
        DJANGO_BEHIND_TLS_PROXY="1",  # the form posts come from many "readers" via X-Forwarded-For
        EMAIL_HOST="localhost",
        PYTHONPATH=str(BASE),
    )
    if shutil.which("redis-server"):
        redis_server = subprocess.Popen(
            ["redis-server", "--port", str(REDIS_PORT), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        env["REDIS_URL"] = f"redis://127.0.0.1:{REDIS_PORT}/0"
        time.sleep(0.5)
    server = gunicorn(env)
    print(f"gunicorn, 3 workers, production settings; {CLIENTS} readers over {len(PAGES)} pages\n")
    try:
        with Readers() as readers:
            t0 = time.monotonic()
            time.sleep(10)
            report("steady", readers.between(t0, time.monotonic()))

            t1 = time.monotonic()
            restart_postgres()
            time.sleep(12)
            report("PostgreSQL restarted", readers.between(t1, time.monotonic()), fault_at=t1)

            if redis_server:
                t2 = time.monotonic()
                redis_server.terminate()
                redis_server.wait()
                time.sleep(8)
                report("Redis stopped", readers.between(t2, time.monotonic()), fault_at=t2)
                redis_server = subprocess.Popen(
                    [
                        "redis-server",
                        "--port",
                        str(REDIS_PORT),
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                t3 = time.monotonic()
                time.sleep(8)
                report("Redis back", readers.between(t3, time.monotonic()), fault_at=t3)
            else:
                print("Redis phases skipped: no redis-server on this machine")

            workers = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
            t4 = time.monotonic()
            os.kill(int(workers[0]), signal.SIGKILL)
            time.sleep(8)
            report("a worker killed (SIGKILL)", readers.between(t4, time.monotonic()), fault_at=t4)
        if shutil.which("wrk"):
            load_with_forms(LOAD_SECONDS)
            mail_server_returns(env)
        else:
            print("load phase skipped: it needs wrk (apt-get install wrk)")
        server.terminate()
        server.wait(timeout=30)
        slow_mail_server(env)
        failed = no_timing_tells(env)
    finally:
        server.terminate()
        server.wait(timeout=30)
        if redis_server:
            redis_server.terminate()
            redis_server.wait()
        from django.db import connections

        connections.close_all()
        # The restarted server is no longer the one pgserver started: stop it ourselves.
        postgres("stop")
    log = (VAR / "gunicorn.log").read_text()
    print(
        f"\nlogged: {log.count('Cache unavailable')} cache errors, "
        f"{log.count('OperationalError')} database errors (see {VAR / 'gunicorn.log'})"
    )
    if failed:
        sys.exit(f"FAILED: the answer's time tells subscribers' addresses ({', '.join(failed)})")


if __name__ == "__main__":
    main()
