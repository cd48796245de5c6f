"""The database gone (restart, failover): readers get a German 503 at once, not a hang or a 500."""

import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.db import OperationalError
from django.test import Client

from articles.views.article import ArticleDetailView
from portal.settings import BASE_DIR
from subscriptions.models import Declaration, OutgoingMail
from tests.factories import make_article
from tests.portal.test_page_cache import free_port
from tests.services import child_env


@pytest.mark.django_db
def test_a_lost_database_connection_gives_a_german_503_with_a_retry_hint(monkeypatch):
    article = make_article()

    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(ArticleDetailView, "get", lost)
    response = Client(raise_request_exception=False).get(article.get_absolute_url())

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "Vorübergehend nicht erreichbar" in response.content.decode()


def test_with_no_database_at_all_pages_and_health_answer_503_within_seconds():
    env = child_env(DATABASE_URL="postgres://postgres@127.0.0.1:1/portal")  # nothing listens
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        answers = {}
        # The first answer also waits for the worker to load the app (seconds on a busy
        # machine); the ones timed are those a reader gets once it runs.
        for path in ("/", "/", "/healthz/"):
            started = time.monotonic()
            for _ in range(300):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10)  # noqa: S310
                except urllib.error.HTTPError as error:
                    answers[path] = (error.code, error.read().decode(), time.monotonic() - started)
                    break
                except OSError:  # still starting
                    time.sleep(0.1)
                    started = time.monotonic()
    finally:
        server.terminate()
        server.wait(timeout=30)

    status, page, seconds = answers["/"]
    assert status == 503
    assert "Vorübergehend nicht erreichbar" in page
    assert seconds < 5
    assert answers["/healthz/"][:2] == (503, '{"database": "unavailable", "cache": "ok"}')


KILLED_MID_CANCELLATION = """
import os, signal, django
django.setup()
from django.db import transaction
from subscriptions.models import Declaration
from subscriptions import mail
with transaction.atomic():
    Declaration.objects.create(kind="ordinary", name="Halb Geschrieben", identifier="K-1",
                               contract="alle", email="halb@example.org", submission="x" * 30)
    mail.queue(
        "halb@example.org",
        purpose="declaration",
        template="login",
        context={"subscriber": None, "url": "x"},
    )
    os.kill(os.getpid(), signal.SIGKILL)  # the worker dies before the commit
"""


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_the_middle_of_a_cancellation_leaves_nothing_half_written():
    env = child_env(DJANGO_SETTINGS_MODULE="portal.settings")
    result = subprocess.run(
        [sys.executable, "-c", KILLED_MID_CANCELLATION], cwd=BASE_DIR, env=env, timeout=60
    )

    assert result.returncode == -9
    assert not Declaration.objects.exists()
    assert not OutgoingMail.objects.exists()
