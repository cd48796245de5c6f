"""A newsletter issue to 5,000 addresses through the task workers, one of them killed halfway.

    .venv/bin/python bench/newsletter.py [--addresses 5000]

Uses the benchmark database under var/bench/ (or BENCH_DATABASE_URL). Adds
that many confirmed newsletter sign-ups once, then sends two issues the way
staff do, with the list action of the admin (Django's test client, as a
superuser), to a local SMTP server that counts who got what:

1. the baseline: one worker, left alone;
2. two workers (``manage.py worker``); when half the mails are out, one is
   killed with SIGKILL, wherever it happens to be.

For each it prints mails delivered, seconds from the admin's click until
the last mail, mails per second, duplicates, lost addresses and the tasks a
surviving worker took back from the killed one; the second
run's time also as a ratio to the first. No cache is involved: every mail is
written, queued and sent. Fails on any lost address, or more than one
duplicate per killed worker (the one mail a kill can catch between the
server's "250 queued" and our commit).
"""

import argparse
import collections
import os
import signal
import subprocess
import sys
import time

from benchdb import BASE, setup_django

sys.path.insert(0, str(BASE))
from tests.smtpsink import SmtpSink  # noqa: E402 - the project's root, just added


def ensure_sign_ups(count):
    import secrets

    from django.utils import timezone

    from subscriptions.models import NewsletterConsent

    have = NewsletterConsent.objects.filter(email__startswith="bench-leser").count()
    NewsletterConsent.objects.bulk_create(
        NewsletterConsent(
            email=f"bench-leser{n:05d}@example.org",
            wording="Ja, ich möchte den Newsletter erhalten.",
            confirmed_at=timezone.now(),
            digest=secrets.token_hex(32),
        )
        for n in range(have, count)
    )


def subscribed_addresses():
    from subscriptions import newsletter

    return set(newsletter.subscribed().values_list("email", flat=True))


def send_from_the_admin(subject):
    from django.contrib.auth.models import User
    from django.test import Client

    from subscriptions.models import NewsletterIssue

    staff, _ = User.objects.get_or_create(
        username="bench-newsletter", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(staff)
    issue = NewsletterIssue.objects.create(subject=subject, body="Neues aus der Verwaltung.")
    response = client.post(
        "/admin/subscriptions/newsletterissue/",
        {"action": "send", "_selected_action": [issue.pk]},
        follow=True,
    )
    assert "geht an" in response.content.decode(), response.content.decode()[:500]
    return issue


def start_worker(sink, name):
    env = {**os.environ, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(sink.port)}
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--worker-id", name, "--verbosity", "0"],
        cwd=BASE,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def run(label, addresses, workers, kill_at=None):
    from django.utils import timezone

    from subscriptions.models import OutgoingMail

    sink = SmtpSink().start()
    running = [start_worker(sink, f"bench-{label}-{n}") for n in range(workers)]
    started, since = time.monotonic(), timezone.now()
    issue = send_from_the_admin(f"Bench {label} {time.time():.0f}")
    killed = 0
    mails = OutgoingMail.objects.filter(issue=issue)
    deadline = started + 600
    while time.monotonic() < deadline:
        if kill_at and not killed and sink.received >= kill_at:
            running[0].send_signal(signal.SIGKILL)
            running[0].wait()
            killed = 1
        if mails.filter(state=OutgoingMail.State.SENT).count() == len(addresses):
            break
        time.sleep(0.1)
    seconds = time.monotonic() - started
    for worker in running:
        if worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=60)
    sink.shutdown()
    delivered = collections.Counter(
        to for recipients in sink.delivered for to in recipients if to in addresses
    )
    duplicates = sum(n - 1 for n in delivered.values())
    lost = len(addresses - set(delivered))
    from django_tasks_db.models import DBTaskResult

    taken_back = sum(
        len(ids) > 1
        for ids in DBTaskResult.objects.filter(enqueued_at__gte=since).values_list(
            "worker_ids", flat=True
        )
    )
    print(
        f"{label:34} {sum(delivered.values()):>6} {seconds:>7.1f} "
        f"{sum(delivered.values()) / seconds:>7.0f} {duplicates:>10} {lost:>5} {taken_back:>10}"
    )
    return seconds, duplicates, lost, killed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addresses", type=int, default=5000)
    args = parser.parse_args()
    setup_django()
    ensure_sign_ups(args.addresses)
    addresses = subscribed_addresses()
    print(f"\n{len(addresses)} confirmed addresses; mails written, queued and sent (no cache)\n")
    print(
        f"{'run':34} {'mails':>6} {'seconds':>7} {'mails/s':>7} {'duplicates':>10} {'lost':>5}"
        f" {'taken back':>10}"
    )
    base, *_ = run("one worker (baseline)", addresses, workers=1)
    seconds, duplicates, lost, killed = run(
        "two workers, one killed halfway", addresses, workers=2, kill_at=len(addresses) // 2
    )
    print(f"\ntwo workers with one killed took {seconds / base:.2f}× the baseline's time")
    return 1 if lost or duplicates > killed else 0


if __name__ == "__main__":
    sys.exit(main())
