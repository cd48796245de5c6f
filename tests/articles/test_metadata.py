"""What search engines and social networks read from each page."""

import datetime
import json
import re

import pytest
from django.utils import timezone

from articles.models import Article
from portal.lib.images import make_renditions
from tests.factories import make_article, make_image, make_section
from tests.pages import warm_shared_fragments

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(django_user_model):
    image = make_image(alt_text="Ein Rathaus")
    make_renditions(image)
    author = django_user_model.objects.create_user(
        "bruni", first_name="Bruni", last_name="Alt", is_staff=True
    )
    return make_article(
        section=make_section("Politik", slug="politik"),
        kicker="Sachsen",
        headline="Digitalstrategie überarbeitet",
        teaser='Die Strategie </script><script>alert("x")</script> liegt vor.',
        tags=["Politik", "OZG"],
        lead_image=image,
        author=author,
    )


def meta(html, prop):
    match = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)">', html)
    return match and match.group(1)


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_an_article_page_has_canonical_title_description_and_cards(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    url = f"http://testserver{article.get_absolute_url()}"

    assert f'<link rel="canonical" href="{url}">' in html
    assert "<title>Sachsen: Digitalstrategie überarbeitet – Verwaltung Digital</title>" in html
    assert meta(html, "description").startswith("Die Strategie &lt;/script&gt;")
    assert meta(html, "og:type") == "article"
    assert meta(html, "og:title") == "Sachsen: Digitalstrategie überarbeitet"
    assert meta(html, "og:url") == url
    assert meta(html, "og:image") == f"http://testserver{article.lead_image.print_src}"
    assert meta(html, "og:locale") == "de_DE"
    assert meta(html, "twitter:card") == "summary_large_image"
    assert meta(html, "article:section") == "Politik"


def test_an_article_page_describes_itself_as_a_news_article(client, article):
    data = json_ld(client.get(article.get_absolute_url()).content.decode())

    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Sachsen: Digitalstrategie überarbeitet"
    assert data["datePublished"] == article.publish_at.isoformat()
    assert data["dateModified"] == article.updated_at.isoformat()
    assert data["author"] == {"@type": "Person", "name": "Bruni Alt"}
    assert data["publisher"]["name"] == "Verwaltung Digital"
    assert data["publisher"]["logo"]["url"] == "http://testserver/static/images/logo.png"
    assert data["articleSection"] == "Politik"
    assert data["keywords"] == ["Politik", "OZG"]
    assert data["image"] == [f"http://testserver{article.lead_image.print_src}"]
    assert data["description"].startswith('Die Strategie </script><script>alert("x")')


def test_a_scheduled_article_was_not_modified_before_it_appeared(client, article, monkeypatch):
    publish_at = timezone.now() + datetime.timedelta(hours=1)
    Article.objects.filter(pk=article.pk).update(publish_at=publish_at)  # saved now, due later
    moved = timezone.now() + datetime.timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: moved)

    html = client.get(article.get_absolute_url()).content.decode()

    data = json_ld(html)
    assert data["datePublished"] == data["dateModified"] == publish_at.isoformat()
    assert meta(html, "article:modified_time") == meta(html, "article:published_time")


def test_json_ld_cannot_end_its_script_element(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)

    assert "</script>" not in script
    assert "\\u003C/script\\u003E" in script


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("/", "http://testserver/"),
        ("/rubrik/politik/", "http://testserver/rubrik/politik/"),
        ("/rubrik/politik/?page=1&utm_source=x", "http://testserver/rubrik/politik/"),
        ("/stichwort/ozg/", "http://testserver/stichwort/ozg/"),
        ("/archiv/", "http://testserver/archiv/"),
    ],
)
def test_every_page_names_its_canonical_address(client, article, url, canonical):
    html = client.get(url).content.decode()

    assert f'<link rel="canonical" href="{canonical}">' in html
    assert meta(html, "og:url") == canonical
    assert meta(html, "og:title")
    assert meta(html, "og:description")


def test_a_second_page_is_its_own_canonical(client, article):
    for _ in range(25):
        make_article(section=article.section)

    html = client.get("/rubrik/politik/?page=2").content.decode()

    assert '<link rel="canonical" href="http://testserver/rubrik/politik/?page=2">' in html


def test_previews_are_not_indexed_and_have_no_canonical(editor_client, article):
    html = editor_client.get(f"/admin/articles/article/{article.pk}/vorschau/").content.decode()

    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert 'rel="canonical"' not in html
    assert "application/ld+json" not in html


def test_the_article_page_still_needs_at_most_six_queries(
    client, article, django_assert_max_num_queries
):
    warm_shared_fragments(client)
    with django_assert_max_num_queries(6):
        client.get(article.get_absolute_url())
