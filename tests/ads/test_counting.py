"""Clicks and impressions: counted exactly, concurrently, and without knowing anyone."""

import datetime
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ads import counting
from ads.models import AdDay, ClickWindow
from tests.ads.conftest import FIREFOX
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


def click_at_once(creative, addresses, agents=None):
    """One click from each address (with each agent), all at the same moment; the statuses."""
    agents = agents or [FIREFOX] * len(addresses)
    start = threading.Barrier(len(addresses))
    statuses = []

    def reader(address, agent):
        try:
            start.wait(10)
            browser = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
            statuses.append(browser.get(creative.get_click_url()).status_code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=reader, args=pair) for pair in zip(addresses, agents, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return statuses


@pytest.mark.django_db(transaction=True)
def test_twenty_readers_clicking_at_once_are_all_counted():
    creative = make_campaign().creatives.get()

    statuses = click_at_once(creative, [f"198.51.100.{n}" for n in range(20)])

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


# Point 8 of issue 25: clicks cannot be inflated, and a creative switched off
# no longer leads to the advertiser.


@pytest.mark.django_db
def test_ad_clicks_repeated_by_one_client_within_half_an_hour_count_once(client):
    creative = make_campaign().creatives.get()

    answers = [client.get(creative.get_click_url()) for _ in range(50)]

    assert {a["Location"] for a in answers} == {creative.target_url}  # served every time
    assert figures(creative) == (0, 1)


@pytest.mark.django_db(transaction=True)
def test_fifty_clicks_at_once_from_one_client_count_once():
    creative = make_campaign().creatives.get()

    statuses = click_at_once(creative, ["203.0.113.7"] * 50)

    assert statuses == [302] * 50
    assert figures(creative) == (0, 1)


CLICKER = """
import sys
import django
django.setup()
from django.test import Client
browser = Client(HTTP_USER_AGENT=sys.argv[2], REMOTE_ADDR="203.0.113.7", HTTP_HOST="localhost")
for _ in range(10):
    assert browser.get(f"/anzeige/klick/{sys.argv[1]}/").status_code == 302
"""


@pytest.mark.django_db(transaction=True)
def test_one_clients_clicks_through_two_app_processes_count_once():
    """Each process with a cache of its own (no Redis): the database alone decides."""
    creative = make_campaign().creatives.get()
    # App processes share the secret key, which the stored hashes are keyed with.
    env = child_env(
        DJANGO_SETTINGS_MODULE="portal.settings", DJANGO_SECRET_KEY=settings.SECRET_KEY
    )
    command = [sys.executable, "-c", CLICKER, str(creative.pk), FIREFOX]

    workers = [subprocess.Popen(command, env=env, stderr=subprocess.PIPE) for _ in range(2)]
    results = [(worker.wait(60), worker.stderr.read().decode()) for worker in workers]

    assert results == [(0, ""), (0, "")]
    assert figures(creative) == (0, 1)


@pytest.mark.django_db
def test_another_browser_or_another_address_is_another_reader():
    creative = make_campaign().creatives.get()
    chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/141.0"

    for agent, address in [
        (FIREFOX, "203.0.113.7"),
        (FIREFOX, "203.0.113.7"),
        (chrome, "203.0.113.7"),  # a colleague behind the same office address
        (FIREFOX, "203.0.113.8"),
    ]:
        Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address).get(creative.get_click_url())

    assert figures(creative) == (0, 3)


@pytest.mark.django_db
def test_an_ipv6_client_is_counted_per_64_network():
    creative = make_campaign().creatives.get()

    for address in [
        "2001:db8:1:2::1",
        "2001:db8:1:2:a1b2:c3d4:e5f6:1234",  # a privacy address of the same connection
        "2001:DB8:1:2:0:0:0:1",
        "2001:db8:1:3::1",  # the next /64: someone else
        "::ffff:203.0.113.7",
        "203.0.113.7",  # the same IPv4 client, written without the IPv6 mapping
    ]:
        Client(HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR=address).get(creative.get_click_url())

    assert figures(creative) == (0, 3)


@pytest.mark.django_db
def test_a_forged_forwarded_for_behind_the_proxy_makes_no_new_reader(settings):
    settings.BEHIND_PROXY = True
    creative = make_campaign().creatives.get()

    for forged in ["1.2.3.4", "5.6.7.8", "9.9.9.9"]:
        Client(
            HTTP_USER_AGENT=FIREFOX,
            REMOTE_ADDR="10.0.0.1",  # the proxy
            HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.7",
        ).get(creative.get_click_url())

    assert figures(creative) == (0, 1)


@pytest.mark.django_db
def test_a_client_counts_again_once_the_window_has_passed(client):
    creative = make_campaign().creatives.get()
    client.get(creative.get_click_url())
    ClickWindow.objects.update(opened_at=F("opened_at") - datetime.timedelta(minutes=29))
    client.get(creative.get_click_url())
    assert figures(creative) == (0, 1)

    ClickWindow.objects.update(opened_at=F("opened_at") - datetime.timedelta(minutes=2))
    client.get(creative.get_click_url())
    client.get(creative.get_click_url())

    assert figures(creative) == (0, 2)


@pytest.mark.django_db(transaction=True)
def test_a_script_naming_another_browser_on_every_click_counts_ten_times_at_most():
    creative = make_campaign().creatives.get()
    agents = [f"Mozilla/5.0 (X11; Linux x86_64; rv:{n}.0) Firefox/{n}.0" for n in range(50)]

    statuses = click_at_once(creative, ["203.0.113.7"] * 50, agents)

    assert statuses == [302] * 50
    assert figures(creative) == (0, counting.CLICKS_PER_NETWORK) == (0, 10)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "agent",
    [
        "",
        "   ",
        "curl/8.5.0",
        "Wget/1.21.4",
        "python-requests/2.32.3",
        "Python-urllib/3.11",
        "python-httpx/0.28.1",
        "Go-http-client/1.1",
        "Java/17.0.9",
        "okhttp/4.12.0",
        "axios/1.7.2",
        "node",
        "Scrapy/2.11.2 (+https://scrapy.org)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    ],
)
def test_http_libraries_crawlers_and_clients_without_a_name_are_not_counted(agent):
    creative = make_campaign().creatives.get()

    response = Client(HTTP_USER_AGENT=agent).get(creative.get_click_url())

    assert response["Location"] == creative.target_url
    assert figures(creative) == (0, 0)


def switch_off_creative(creative):
    creative.active = False
    creative.save()


def pause_campaign(creative):
    creative.campaign.paused = True
    creative.campaign.save()


def end_campaign(creative):
    creative.campaign.ends_at = creative.campaign.starts_at + datetime.timedelta(hours=1)
    creative.campaign.save()


def postpone_campaign(creative):
    creative.campaign.starts_at += datetime.timedelta(days=10)
    creative.campaign.save()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "switch_off", [switch_off_creative, pause_campaign, end_campaign, postpone_campaign]
)
def test_a_creative_switched_off_or_out_of_its_campaign_leads_to_the_vendor_and_counts_nothing(
    client, switch_off
):
    creative = make_campaign().creatives.get()
    switch_off(creative)

    response = client.get(creative.get_click_url())

    assert response.status_code == 302
    assert response["Location"] == creative.campaign.advertiser.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200
    assert figures(creative) == (0, 0)


@pytest.mark.django_db
def test_a_switched_off_creative_of_a_vendor_no_longer_listed_leads_to_the_it_guide(client):
    creative = make_campaign().creatives.get()
    vendor = creative.campaign.advertiser
    vendor.listed_from = vendor.listed_until = datetime.date(2020, 1, 1)
    vendor.save()
    switch_off_creative(creative)

    response = client.get(creative.get_click_url())

    assert response["Location"] == "/it-guide/"
    assert figures(creative) == (0, 0)


@pytest.mark.django_db
def test_a_click_takes_two_queries_and_a_switched_off_one_a_single_query(
    client, django_assert_max_num_queries
):
    running, stopped = (make_campaign().creatives.get() for _ in range(2))
    switch_off_creative(stopped)

    with django_assert_max_num_queries(2):
        client.get(running.get_click_url())
    with django_assert_max_num_queries(1):
        client.get(stopped.get_click_url())


@pytest.mark.django_db
def test_what_is_kept_to_count_once_names_nobody_and_is_deleted_after_the_window(client):
    creative = make_campaign().creatives.get()
    Client(HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR="203.0.113.7").get(creative.get_click_url())

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM ads_clickwindow")
        stored = repr(cursor.fetchall())
    assert "203.0.113" not in stored and "Firefox" not in stored
    assert counting.close_click_windows() == 0  # still open
    ClickWindow.objects.update(opened_at=F("opened_at") - counting.CLICK_WINDOW)
    assert counting.close_click_windows() == 2  # the client's and its network's
    assert not ClickWindow.objects.exists()
