"""Feeds for readers' tools, sitemaps and robots.txt for search engines; all cached."""

import datetime
from pathlib import Path

import feedparser
import pytest
from django.utils import timezone
from lxml import etree

from articles.models import Article
from articles.sitemaps import ArticleSitemap
from portal.lib.images import make_renditions
from tests.factories import make_article, make_image, make_section

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def schema(name):
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


@pytest.fixture
def content():
    politik = make_section("Politik", slug="politik")
    image = make_image(caption="Rathaus", alt_text="Ein Rathaus")
    make_renditions(image)
    return {
        "sachsen": make_article(
            section=politik,
            kicker="Sachsen",
            headline="Digitalstrategie überarbeitet",
            teaser="Die Strategie liegt vor.",
            tags=["Politik", "OZG"],
            lead_image=image,
            publish_at=timezone.now() - datetime.timedelta(hours=3),
        ),
        "praxis": make_article(
            section=make_section("Praxis", slug="praxis"),
            kicker="Bremen",
            headline="Familienleistungen",
            publish_at=timezone.now() - datetime.timedelta(days=30),
        ),
        "draft": make_article(section=politik, headline="Entwurf", status=Article.Status.DRAFT),
    }


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, (url, feed.get("bozo_exception"))
    return feed


@pytest.mark.parametrize(
    ("url", "titles"),
    [
        ("/feed/rss/", ["Sachsen: Digitalstrategie überarbeitet", "Bremen: Familienleistungen"]),
        ("/feed/atom/", ["Sachsen: Digitalstrategie überarbeitet", "Bremen: Familienleistungen"]),
        ("/rubrik/politik/feed/rss/", ["Sachsen: Digitalstrategie überarbeitet"]),
        ("/rubrik/praxis/feed/atom/", ["Bremen: Familienleistungen"]),
        ("/stichwort/ozg/feed/rss/", ["Sachsen: Digitalstrategie überarbeitet"]),
        ("/stichwort/ozg/feed/atom/", ["Sachsen: Digitalstrategie überarbeitet"]),
    ],
)
def test_feeds_parse_cleanly_and_list_what_readers_may_see(client, content, url, titles):
    feed = parse(client, url)

    assert [entry.title for entry in feed.entries] == titles
    assert feed.feed.language == "de"


def test_a_feed_item_carries_teaser_link_dates_tags_and_picture(client, content):
    for url in ("/feed/rss/", "/feed/atom/"):
        entry = parse(client, url).entries[0]
        article = content["sachsen"]

        assert entry.summary == "Die Strategie liegt vor."
        assert entry.link == f"http://testserver{article.get_absolute_url()}"
        assert entry.published_parsed[:5] == article.publish_at.utctimetuple()[:5]
        assert [tag.term for tag in entry.tags] == ["Politik", "OZG"]
        enclosure = entry.enclosures[0]
        assert enclosure.href == f"http://testserver{article.lead_image.print_src}"
        assert enclosure.type == "image/jpeg"
        assert int(enclosure.length) > 0


def test_feeds_are_discoverable_from_the_pages(client, content):
    home = client.get("/").content.decode()
    section = client.get("/rubrik/politik/").content.decode()
    tag = client.get("/stichwort/ozg/").content.decode()

    site_feed = 'type="application/rss+xml" title="Verwaltung Digital (RSS)" href="/feed/rss/"'
    assert f'<link rel="alternate" {site_feed}>' in home
    assert 'type="application/atom+xml"' in home
    assert 'href="/rubrik/politik/feed/rss/"' in section
    assert 'href="/stichwort/ozg/feed/atom/"' in tag


def test_unknown_sections_and_tags_have_no_feed(client, content):
    assert client.get("/rubrik/gibt-es-nicht/feed/rss/").status_code == 404
    assert client.get("/stichwort/gibt-es-nicht/feed/atom/").status_code == 404


def test_feeds_are_cached_until_something_changes(client, content):
    first = client.get("/feed/rss/")
    second = client.get("/feed/rss/")
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")

    make_article(headline="Ganz neu")
    third = client.get("/feed/rss/")

    assert third["X-Cache"] == "miss"
    assert "Ganz neu" in third.content.decode()


def later(monkeypatch, **delta):
    """Move the clock forward: nothing is written, time just passes."""
    moved = timezone.now() + datetime.timedelta(**delta)
    monkeypatch.setattr(timezone, "now", lambda: moved)


def test_a_scheduled_article_enters_the_feed_when_its_time_comes(client, content, monkeypatch):
    make_article(headline="Später", publish_at=timezone.now() + datetime.timedelta(hours=1))
    assert "Später" not in client.get("/feed/rss/").content.decode()

    later(monkeypatch, hours=2)

    assert "Später" in client.get("/feed/rss/").content.decode()


def test_the_sitemap_index_moves_when_a_scheduled_article_appears(client, content, monkeypatch):
    make_article(headline="Später", publish_at=timezone.now() + datetime.timedelta(hours=1))
    before = etree.fromstring(client.get("/sitemap.xml").content)

    later(monkeypatch, hours=2)
    after = etree.fromstring(client.get("/sitemap.xml").content)

    def lastmod(document):
        return document.xpath(
            "//s:sitemap[contains(s:loc, 'artikel')]/s:lastmod/text()", namespaces=SITEMAP_NS
        )

    assert lastmod(after) > lastmod(before)


def test_the_news_sitemap_lets_go_of_what_is_older_than_48_hours(client, content, monkeypatch):
    assert "Digitalstrategie" in client.get("/sitemap-news.xml").content.decode()

    later(monkeypatch, hours=47)  # the Sachsen article is 3 hours old

    assert "Digitalstrategie" not in client.get("/sitemap-news.xml").content.decode()


def test_tag_feeds_exist_only_for_tags_readers_can_see(client, content):
    make_article(headline="Noch geheim", tags=["Wahlcomputer"], status=Article.Status.DRAFT)

    assert client.get("/stichwort/wahlcomputer/").status_code == 404
    assert client.get("/stichwort/wahlcomputer/feed/rss/").status_code == 404
    assert client.get("/stichwort/wahlcomputer/feed/atom/").status_code == 404


def test_feed_teasers_are_text_not_markup(client, content):
    make_article(headline="Kosten", teaser="Kosten <unter> 5 Mio & <img src=x onerror=alert(1)>")

    for url in ("/feed/rss/", "/feed/atom/"):
        entry = parse(client, url).entries[0]
        assert entry.title == "Sachsen: Kosten"
        assert (
            entry.summary == "Kosten &lt;unter&gt; 5 Mio &amp; &lt;img src=x onerror=alert(1)&gt;"
        )


def test_other_query_parameters_neither_change_nor_fill_the_cache(client, content):
    client.get("/feed/rss/")

    assert client.get("/feed/rss/?utm_source=newsletter")["X-Cache"] == "hit"
    assert client.get("/feed/rss/?x=1&y=2")["X-Cache"] == "hit"


def test_feeds_answer_304_to_a_reader_that_has_them(client, content):
    etag = client.get("/feed/atom/")["ETag"]

    assert client.get("/feed/atom/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_the_sitemap_index_is_valid_and_names_every_sitemap(client, content):
    response = client.get("/sitemap.xml")
    document = etree.fromstring(response.content)

    schema("siteindex.xsd").assertValid(document)
    locations = document.xpath("//s:loc/text()", namespaces=SITEMAP_NS)
    assert locations == [
        "http://testserver/sitemap-artikel.xml",
        "http://testserver/sitemap-bereiche.xml",
        "http://testserver/sitemap-stichwoerter.xml",
        "http://testserver/sitemap-seiten.xml",
        "http://testserver/sitemap-it-guide.xml",
    ]


@pytest.mark.parametrize("section", ["artikel", "bereiche", "stichwoerter", "seiten", "it-guide"])
def test_each_sitemap_is_valid(client, content, section):
    response = client.get(f"/sitemap-{section}.xml")

    schema("sitemap.xsd").assertValid(etree.fromstring(response.content))


def test_the_article_sitemap_lists_visible_articles_with_lastmod(client, content):
    document = etree.fromstring(client.get("/sitemap-artikel.xml").content)

    urls = document.xpath("//s:url", namespaces=SITEMAP_NS)
    locations = [url.findtext("s:loc", namespaces=SITEMAP_NS) for url in urls]
    assert locations == [
        f"http://testserver{content['sachsen'].get_absolute_url()}",
        f"http://testserver{content['praxis'].get_absolute_url()}",
    ]
    assert all(url.findtext("s:lastmod", namespaces=SITEMAP_NS) for url in urls)


def test_article_sitemaps_are_paged(client, content, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 1)

    index = client.get("/sitemap.xml").content.decode()
    second = etree.fromstring(client.get("/sitemap-artikel.xml?p=2").content)

    assert "http://testserver/sitemap-artikel.xml?p=2" in index
    assert second.xpath("//s:loc/text()", namespaces=SITEMAP_NS) == [
        f"http://testserver{content['praxis'].get_absolute_url()}"
    ]


def test_the_news_sitemap_has_the_last_48_hours(client, content):
    response = client.get("/sitemap-news.xml")
    document = etree.fromstring(response.content)

    schema("sitemap.xsd").assertValid(document)
    news = document.xpath(
        "//n:news", namespaces={"n": "http://www.google.com/schemas/sitemap-news/0.9"}
    )
    assert len(news) == 1  # the Praxis article is 30 days old
    schema("news.xsd").assertValid(etree.ElementTree(news[0]))
    assert "Sachsen: Digitalstrategie überarbeitet" in response.content.decode()
    assert "<news:language>de</news:language>" in response.content.decode()


def test_robots_txt_names_the_sitemaps(client, content):
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /anzeige/" in lines  # robots would inflate the ad figures


def test_sitemaps_follow_content_changes_at_once(client, content):
    client.get("/sitemap-artikel.xml")
    new = make_article(headline="Neu im Archiv")

    assert new.get_absolute_url() in client.get("/sitemap-artikel.xml").content.decode()


def test_feeds_and_sitemaps_cost_one_query_when_cached(
    client, content, django_assert_max_num_queries
):
    for url in ("/feed/rss/", "/sitemap.xml", "/sitemap-artikel.xml", "/robots.txt"):
        client.get(url)
        with django_assert_max_num_queries(1):
            assert client.get(url)["X-Cache"] == "hit"
