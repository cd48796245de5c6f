"""A change renews only what shows it, and at once everywhere it shows (portal.lib.pagecache).

Each test warms pages, makes one change as an editor, a campaign or the
clock would, and asks again: what shows the change has it, what does not
still comes from the cache.
"""

import datetime

import pytest
from django.utils import timezone

from ads.models import Vendor
from articles.models import Article, Image, Section, Tag
from portal.models import LegalText, Publisher
from tests.factories import make_article, make_image, make_section, make_vendor

pytestmark = pytest.mark.django_db


def warm(client, *urls):
    for url in urls:
        assert client.get(url).status_code == 200, url


def served(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response["X-Cache"], response.content.decode()


@pytest.fixture
def newsroom():
    """Two sections; an old article with a tag and a picture; 60 newer articles."""
    politik = make_section("Politik", slug="politik")
    technik = make_section("Technik", slug="technik")
    old = make_article(
        section=politik,
        tags=["OZG"],
        headline="Aus dem Archiv",
        lead_image=make_image(caption="Altes Bild"),
        publish_at=timezone.now() - datetime.timedelta(days=900),
    )
    for _ in range(6):
        make_article(section=politik, publish_at=timezone.now() - datetime.timedelta(days=10))
    newest = [
        make_article(
            section=technik,
            headline=f"Meldung {hour}",
            publish_at=timezone.now() - datetime.timedelta(hours=hour + 1),
        )
        for hour in range(60)
    ]
    return old, newest


def test_editing_an_old_article_renews_its_page_and_lists_and_nothing_else(client, newsroom):
    old, newest = newsroom
    month = f"/archiv/{timezone.localtime(old.publish_at):%Y/%m}/"
    own = [
        old.get_absolute_url(),
        "/rubrik/politik/",
        "/stichwort/ozg/",
        month,
        "/suche/?q=Archiv",
        "/rubrik/politik/feed/rss/",
    ]
    others = [newest[5].get_absolute_url(), "/", "/rubrik/technik/", "/archiv/"]
    warm(client, *own, *others)

    Article.objects.filter(pk=old.pk).update(headline="Aus dem Archiv, berichtigt")

    for url in own:
        state, html = served(client, url)
        assert (state, "berichtigt" in html) == ("miss", True), url
    for url in others:
        assert served(client, url)[0] == "hit", url


def test_a_new_article_shows_in_the_latest_box_of_pages_that_stay_cached(client, newsroom):
    old, newest = newsroom
    page = newest[30].get_absolute_url()
    warm(client, page, "/")

    fresh = make_article(section=old.section, headline="Eben erschienen")
    state, html = served(client, page)
    home_state, home = served(client, "/")

    assert state == "hit"  # the article's own part is unchanged
    assert "Eben erschienen" in html  # the box is new
    assert home_state == "miss" and fresh.get_absolute_url() in home


def test_a_withdrawn_article_is_gone_at_once_from_every_page_that_showed_it(client, newsroom):
    old, newest = newsroom
    gone = newest[0]
    pages = [
        newest[30].get_absolute_url(),
        "/",
        "/rubrik/technik/",
        "/feed/rss/",
        "/suche/?q=Meldung",
        "/sitemap-artikel.xml",
        "/sitemap-news.xml",
    ]
    warm(client, gone.get_absolute_url(), *pages)

    gone.status = Article.Status.UNPUBLISHED
    gone.save()

    assert client.get(gone.get_absolute_url()).status_code == 404
    for url in pages:
        assert gone.get_absolute_url() not in served(client, url)[1], url


def test_the_related_list_below_articles_renews_when_the_section_has_news(client, newsroom):
    old, newest = newsroom
    page = newest[40].get_absolute_url()
    warm(client, page)

    make_article(section=newest[40].section, headline="Neu in Technik")
    state, html = served(client, page)

    assert state == "hit"
    assert "Neu in Technik" in html.split('class="related"')[1]


def test_a_scheduled_article_joins_its_lists_when_its_time_comes(client, newsroom):
    old, newest = newsroom
    # A moment already passed, but written as if scheduled: only the clock can renew.
    make_article(section=old.section, headline="Punktlandung", publish_at=timezone.now())
    assert "Punktlandung" in served(client, "/rubrik/politik/")[1]


def rename_section():
    Section.objects.filter(slug="technik").update(name="Technologie")


def rename_tag():
    Tag.objects.filter(slug="ozg").update(name="Onlinezugangsgesetz")


def recaption():
    Image.objects.update(caption="Neues Bild")


@pytest.mark.parametrize(
    ("change", "url", "shown"),
    [
        pytest.param(rename_section, "old", "Technologie", id="section in the navigation"),
        pytest.param(rename_section, "/stichwort/ozg/", "Technologie", id="section on a tag page"),
        pytest.param(rename_tag, "old", "Onlinezugangsgesetz", id="tag name on the article"),
        pytest.param(recaption, "old", "Neues Bild", id="caption on the article"),
        pytest.param(recaption, "/rubrik/politik/", "Neues Bild", id="caption in a list"),
    ],
)
def test_shared_things_renew_every_page_that_shows_them(client, newsroom, change, url, shown):
    old, _newest = newsroom
    url = old.get_absolute_url() if url == "old" else url
    warm(client, url)

    change()

    assert shown in served(client, url)[1]


def test_a_link_under_the_article_renews_its_page(client, newsroom):
    old, _newest = newsroom
    warm(client, old.get_absolute_url())

    old.links.create(label="Die Verordnung im Wortlaut", url="https://example.org/vo")

    assert "Die Verordnung im Wortlaut" in served(client, old.get_absolute_url())[1]


def test_legal_texts_and_the_publisher_renew_their_pages(client):
    warm(client, "/agb/", "/impressum/")

    LegalText.objects.filter(kind="agb").update(title="Allgemeine Geschäftsbedingungen 2027")
    Publisher.objects.update(name="Beispielverlag für Verwaltung GmbH")

    assert "Allgemeine Geschäftsbedingungen 2027" in served(client, "/agb/")[1]
    assert "Beispielverlag für Verwaltung GmbH" in served(client, "/impressum/")[1]


def test_the_it_guide_renews_with_its_vendors_and_profiles_with_articles(client, newsroom):
    vendor = make_vendor("Beispiel GmbH", slug="beispiel")
    old, newest = newsroom
    warm(client, "/it-guide/", vendor.get_absolute_url(), old.get_absolute_url())

    Vendor.objects.filter(pk=vendor.pk).update(city="Ahrensburg")
    newest[3].vendors.add(vendor)

    assert "Ahrensburg" in served(client, "/it-guide/")[1]
    profile_state, profile = served(client, vendor.get_absolute_url())
    assert newest[3].get_absolute_url() in profile
    assert served(client, old.get_absolute_url())[0] == "hit"
