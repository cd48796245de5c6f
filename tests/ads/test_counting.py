"""Clicks and impressions: counted exactly, concurrently, and without knowing anyone."""

import subprocess
import sys
import threading
import time

import pytest
from django.db import DatabaseError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ads import counting
from ads.models import AdDay
from tests.factories import make_campaign
from tests.services import child_env


def figures(creative):
    day = AdDay.objects.filter(creative=creative).first()
    return (day.impressions, day.clicks) if day else (0, 0)


@pytest.mark.django_db
def test_a_click_is_counted_and_goes_where_the_creative_says(client):
    creative = make_campaign().creatives.get()

    response = client.get(f"/anzeige/klick/{creative.pk}/?next=https://boese.example/")

    assert response.status_code == 302
    assert response["Location"] == creative.target_url
    assert figures(creative) == (0, 1)
    assert not response.cookies


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/anzeige/klick/999999/", "/anzeige/klick/99999999999999999999999/", "/anzeige/klick/abc/"],
)
def test_an_unknown_creative_is_a_404_and_redirects_nowhere(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert "Location" not in response


@pytest.mark.django_db
def test_a_link_checker_asking_with_head_is_no_click(client):
    creative = make_campaign().creatives.get()

    assert client.head(f"/anzeige/klick/{creative.pk}/").status_code == 302
    assert figures(creative) == (0, 0)


@pytest.mark.django_db(transaction=True)
def test_twenty_clicks_at_once_are_all_counted():
    creative = make_campaign().creatives.get()
    start = threading.Barrier(20)
    statuses = []

    def reader():
        try:
            start.wait(10)
            statuses.append(Client().get(f"/anzeige/klick/{creative.pk}/").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=reader) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert statuses == [302] * 20
    assert figures(creative) == (0, 20)


@pytest.mark.django_db
def test_showing_an_ad_writes_nothing_to_the_database_until_the_flush(client):
    creative = make_campaign().creatives.get()

    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            client.get("/anzeige/platz/sidebar-top/")

    writes = [
        q["sql"] for q in queries.captured_queries if not q["sql"].lstrip().startswith("SELECT")
    ]
    assert writes == []
    assert figures(creative) == (0, 0)
    assert counting.flush_impressions() == 5
    assert figures(creative) == (5, 0)
    assert counting.flush_impressions() == 0  # nothing is added twice
    assert figures(creative) == (5, 0)


@pytest.mark.django_db(transaction=True)
def test_two_flushes_at_once_lose_nothing_and_add_nothing_twice(monkeypatch):
    # Writing takes a while, so the two flushes and the new showings surely overlap.
    write = counting.add_to_days

    def slow_write(rows, cursor):
        time.sleep(0.3)
        write(rows, cursor)

    monkeypatch.setattr(counting, "add_to_days", slow_write)
    creatives = [
        c for campaign in (make_campaign(), make_campaign()) for c in campaign.creatives.all()
    ]
    for n in range(300):
        counting.count_impression(creatives[n % 2].pk)
    start = threading.Barrier(2)
    flushed, more = [], threading.Event()

    def flush():
        try:
            start.wait(10)
            flushed.append(counting.flush_impressions())
            more.wait(10)  # impressions arriving meanwhile are not lost either
            flushed.append(counting.flush_impressions())
        finally:
            connection.close()

    threads = [threading.Thread(target=flush) for _ in range(2)]
    for thread in threads:
        thread.start()
    for _ in range(50):
        counting.count_impression(creatives[0].pk)
    more.set()
    for thread in threads:
        thread.join(30)

    assert sum(flushed) == 350
    assert [figures(c)[0] for c in creatives] == [200, 150]
    assert counting.flush_impressions() == 0


@pytest.mark.django_db(transaction=True)
def test_a_process_that_ends_flushes_what_it_gathered():
    """A worker recycled by gunicorn takes no impressions with it."""
    creative = make_campaign().creatives.get()
    code = (
        "import django; django.setup()\n"
        "from ads import counting\n"
        f"for _ in range(7): counting.count_impression({creative.pk})\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", code],
        env=child_env(DJANGO_SETTINGS_MODULE="portal.settings"),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert figures(creative) == (7, 0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {
            "HTTP_USER_AGENT": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
        },
        {"HTTP_USER_AGENT": "LinkChecker/10.2"},
        {"HTTP_SEC_PURPOSE": "prefetch;prerender"},
        {"HTTP_PURPOSE": "prefetch"},
    ],
)
def test_robots_and_prefetches_are_not_counted(client, headers):
    creative = make_campaign().creatives.get()

    client.get("/anzeige/platz/sidebar-top/", **headers)
    response = client.get(f"/anzeige/klick/{creative.pk}/", **headers)

    assert response["Location"] == creative.target_url  # they are served all the same
    counting.flush_impressions()
    assert figures(creative) == (0, 0)


@pytest.mark.django_db
def test_impressions_the_database_refuses_are_kept_for_the_next_flush(client, monkeypatch):
    creative = make_campaign().creatives.get()
    for _ in range(4):
        client.get("/anzeige/platz/sidebar-top/", HTTP_USER_AGENT="Mozilla/5.0 Firefox/140.0")
    write = counting.add_to_days

    def refuse(rows, cursor):
        raise DatabaseError("Verbindung verloren")

    monkeypatch.setattr(counting, "add_to_days", refuse)
    with pytest.raises(DatabaseError):
        counting.flush_impressions()
    monkeypatch.setattr(counting, "add_to_days", write)

    assert counting.flush_impressions() == 4
    assert figures(creative) == (4, 0)
