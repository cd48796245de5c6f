"""Reader pages from the cache: fast, and never stale for a moment after a change."""

import contextlib
import datetime
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.utils import timezone

from ads import fragments as ads_tags
from articles.models import Article
from portal.lib import pagecache
from portal.settings import BASE_DIR
from tests.conftest import logged_in
from tests.factories import make_article, make_campaign, make_section, make_vendor
from tests.services import child_env

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article(
        section=make_section("Politik", slug="politik"),
        tags=["OZG"],
        headline="Digitalstrategie überarbeitet",
    )


def reader_pages(article):
    vendor = make_vendor("Beispiel GmbH", slug="beispiel")
    return [
        "/",
        article.get_absolute_url(),
        "/rubrik/politik/",
        "/stichwort/ozg/",
        "/archiv/",
        f"/archiv/{article.publish_at:%Y}/",
        f"/archiv/{article.publish_at:%Y/%m}/",
        "/suche/?q=Digitalstrategie",
        "/it-guide/",
        vendor.get_absolute_url(),
    ]


def test_every_reader_page_comes_from_the_cache_the_second_time_with_one_query(
    client, article, django_assert_num_queries
):
    for url in reader_pages(article):
        first = client.get(url)
        with django_assert_num_queries(1):  # the content version
            second = client.get(url)

        assert first.status_code == second.status_code == 200, url
        assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit"), url
        assert second.content == first.content
        assert set(second["Cache-Control"].split(", ")) == {
            "public",
            "max-age=0",
            "must-revalidate",
        }
        assert second["ETag"] == first["ETag"]


def test_the_print_page_comes_from_the_cache_too(client, article):
    first = client.get(article.get_print_url())

    second = client.get(article.get_print_url())

    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content == first.content


def test_a_reader_asking_again_gets_304_without_the_page(client, article):
    first = client.get(article.get_absolute_url())

    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""


def test_an_edit_shows_at_once_and_a_withdrawn_article_is_gone(client, article):
    url = article.get_absolute_url()
    client.get(url)
    client.get("/")

    Article.objects.filter(pk=article.pk).update(teaser="Der neue Vorspann.")
    edited = client.get(url)
    article.status = Article.Status.DRAFT
    article.save()

    assert "Der neue Vorspann." in edited.content.decode()
    assert edited["X-Cache"] == "miss"
    assert client.get(url).status_code == 404
    assert article.get_absolute_url() not in client.get("/").content.decode()


def test_a_scheduled_article_appears_when_its_time_comes_with_no_write_at_all(client, article):
    later = make_article(
        headline="Punkt neun Uhr", publish_at=timezone.now() + datetime.timedelta(seconds=2)
    )
    assert "Punkt neun Uhr" not in client.get("/").content.decode()

    time.sleep(2.2)

    assert "Punkt neun Uhr" in client.get("/").content.decode()
    assert client.get(later.get_absolute_url()).status_code == 200


def test_an_ad_place_appears_when_its_campaign_starts_in_a_page_that_stays_cached(client, article):
    make_campaign(slots=["sidebar-top"], starts_at=timezone.now() + datetime.timedelta(seconds=2))
    url = article.get_absolute_url()
    client.get(url)
    assert "/anzeige/platz/sidebar-top/" not in client.get(url).content.decode()

    time.sleep(2.2)
    response = client.get(url)

    assert "/anzeige/platz/sidebar-top/" in response.content.decode()
    assert response["X-Cache"] == "hit"


def test_staff_and_logged_in_subscribers_always_get_a_fresh_page(chief, article):
    browser = logged_in(chief)

    browser.get(article.get_absolute_url())
    response = browser.get(article.get_absolute_url())

    assert "X-Cache" not in response


def test_parameters_that_make_no_page_neither_fill_the_cache_nor_reach_it(client, article):
    client.get("/suche/?q=Digitalstrategie")

    response = client.get('/suche/?q=Digitalstrategie&utm_source="><script>alert(1)</script>')

    assert response["X-Cache"] == "hit"
    assert "<script>alert(1)" not in response.content.decode()
    assert "utm_source" not in response.content.decode()


def plus_box(html):
    return html.split('class="box plus-box"')[1].split("</section>")[0]


def test_the_plus_box_turning_renews_the_box_not_the_pages_around_it(client, article, monkeypatch):
    for number in range(12):
        make_vendor(f"Plus-Anbieter {number} GmbH", plus=True)
    url = article.get_absolute_url()
    monkeypatch.setattr(ads_tags, "plus_turn", lambda: 1)
    client.get(url)
    before = client.get(url)

    monkeypatch.setattr(ads_tags, "plus_turn", lambda: 2)
    after = client.get(url)

    assert (before["X-Cache"], after["X-Cache"]) == ("hit", "hit")
    assert plus_box(after.content.decode()) != plus_box(before.content.decode())
    assert after["ETag"] != before["ETag"]  # a reader asking again gets the new box


def test_errors_are_not_cached(client):
    assert client.get("/rubrik/gibt-es-nicht/").status_code == 404
    response = client.get("/suche/?q=" + "x" * 500)

    assert response.status_code == 400
    assert "X-Cache" not in response


# Two app processes sharing one Redis


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port, env):
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=1)
            return server
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(server.stderr.read().decode()) from None
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("the app server did not start")


def fetch(port, path):
    """As a load balancer would ask: both processes serve the same host name."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Host": "localhost"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (http only)
            return response.status, response.headers.get("X-Cache"), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, None, ""


@contextlib.contextmanager
def app_processes(env):
    """Two gunicorn processes with ``env``: their ports; stopped afterwards."""
    ports = [free_port(), free_port()]
    servers = [start_server(port, env) for port in ports]
    try:
        yield ports
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


@pytest.fixture
def two_app_processes(redis_server):
    """Two gunicorn processes on the test database, sharing one emptied Redis database."""
    with app_processes(child_env(REDIS_URL=redis_server, DJANGO_CONN_MAX_AGE="0")) as ports:
        yield ports


@pytest.mark.django_db(transaction=True)
def test_two_app_processes_share_the_cache_and_both_see_a_change_at_once(two_app_processes):
    first, second = two_app_processes
    article = make_article(headline="Erste Fassung")
    url = article.get_absolute_url()

    assert fetch(first, url)[:2] == (200, "miss")
    assert fetch(second, url)[:2] == (200, "hit")  # rendered once, for both

    Article.objects.filter(pk=article.pk).update(teaser="Zweite Fassung des Vorspanns.")

    for port in (second, first):
        status, _cache, html = fetch(port, url)
        assert status == 200
        assert "Zweite Fassung des Vorspanns." in html

    # A fragment: the page stays cached, the "Aktuelle Meldungen" box is new in both.
    make_article(section=article.section, headline="Soeben veröffentlicht")
    for port in (first, second):
        assert fetch(port, url)[1] == "hit"
        assert "Soeben veröffentlicht" in fetch(port, url)[2]

    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)

    assert fetch(first, url)[0] == fetch(second, url)[0] == 404


def test_a_deploy_with_other_templates_or_code_starts_with_new_pages(client, article, monkeypatch):
    url = article.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Cache"] == "hit"

    monkeypatch.setattr(pagecache, "_RELEASE", "the-next-release")

    assert client.get(url)["X-Cache"] == "miss"


def test_a_restart_with_other_configuration_starts_with_new_pages(monkeypatch):
    """The Datenschutzerklärung shows the retention periods: a changed one must not wait a day."""
    monkeypatch.delenv("PORTAL_RETENTION_MAIL_BODY_DAYS", raising=False)
    before = pagecache._release()

    monkeypatch.setenv("PORTAL_RETENTION_MAIL_BODY_DAYS", "60")

    assert pagecache._release() != before
