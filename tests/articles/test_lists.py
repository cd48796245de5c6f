"""Home, section, tag and archive pages: what readers see and what it costs."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_image, make_section
from tests.pages import main_content, warm_shared_fragments

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.now() - datetime.timedelta(days=n)


@pytest.fixture
def sections():
    return [make_section(name, slug=name.lower()) for name in ("Politik", "Praxis", "Schul-IT")]


def test_home_shows_the_lead_story_each_section_and_the_latest(client, sections):
    politik, praxis, _ = sections
    older = make_article(section=politik, headline="Ältere Meldung", publish_at=days_ago(3))
    lead = make_article(
        section=praxis, headline="Der Aufmacher", featured=True, publish_at=days_ago(2)
    )
    newest = make_article(section=politik, headline="Neueste Meldung", publish_at=days_ago(1))

    response = client.get("/")

    assert response.status_code == 200
    assert response.context["lead"] == lead
    blocks = {section.name: items for section, items in response.context["section_blocks"]}
    assert blocks["Politik"] == [newest, older]
    assert "Praxis" not in blocks  # its only article is the lead story, shown above
    assert "Schul-IT" not in blocks  # nothing published there: no empty box
    html = response.content.decode()
    assert "Aktuelle Meldungen" in html
    assert html.index("Der Aufmacher") < html.index("Neueste Meldung")


def test_without_a_featured_article_the_newest_leads(client, sections):
    make_article(section=sections[0], publish_at=days_ago(2))
    newest = make_article(section=sections[1], publish_at=days_ago(1))

    assert client.get("/").context["lead"] == newest


def test_home_on_an_empty_site_says_so(client):
    response = client.get("/")

    assert response.status_code == 200
    assert "Noch sind keine Artikel veröffentlicht." in response.content.decode()


def test_home_shows_at_most_three_per_section(client, sections):
    for n in range(5):
        make_article(section=sections[0], publish_at=days_ago(n + 1))
    make_article(section=sections[1], featured=True)

    blocks = dict(client.get("/").context["section_blocks"])

    assert len(blocks[sections[0]]) == 3


def test_section_page_lists_its_articles_newest_first_with_pagination(client, sections):
    politik = sections[0]
    articles = [make_article(section=politik, publish_at=days_ago(n)) for n in range(1, 23)]
    make_article(section=sections[1], headline="Anderer Bereich")

    first = client.get("/rubrik/politik/")
    second = client.get("/rubrik/politik/?page=2")

    assert list(first.context["articles"]) == articles[:20]
    assert list(second.context["articles"]) == articles[20:]
    assert "Seite 1 von 2" in first.content.decode()
    assert 'rel="next" href="?page=2"' in first.content.decode()
    assert "Anderer Bereich" not in main_content(first)


def test_section_page_marks_its_navigation_entry(client, sections):
    html = client.get("/rubrik/praxis/").content.decode()

    assert '<a href="/rubrik/praxis/" aria-current="page">Praxis</a>' in html


def test_tag_page_lists_the_tagged_articles(client, sections):
    tagged = make_article(section=sections[0], headline="Mit OZG", tags=["OZG", "Sachsen"])
    make_article(section=sections[0], headline="Ohne OZG", tags=["Sachsen"])

    response = client.get("/stichwort/ozg/")

    assert list(response.context["articles"]) == [tagged]
    assert "Stichwort: OZG" in response.content.decode()


def test_tag_slugs_are_german(client, sections):
    make_article(section=sections[0], tags=["Öffentliche Verwaltung"])

    assert client.get("/stichwort/oeffentliche-verwaltung/").status_code == 200


def test_archive_lists_years_then_months_then_articles(client, sections):
    berlin = timezone.get_current_timezone()
    july = make_article(
        section=sections[0],
        headline="Juli-Meldung",
        publish_at=datetime.datetime(2019, 7, 3, 9, tzinfo=berlin),
    )
    make_article(section=sections[0], publish_at=datetime.datetime(2019, 8, 1, 9, tzinfo=berlin))
    make_article(section=sections[0], publish_at=datetime.datetime(2021, 1, 5, 9, tzinfo=berlin))

    years = client.get("/archiv/")
    year = client.get("/archiv/2019/")
    month = client.get("/archiv/2019/07/")

    assert [(e["year"], e["count"]) for e in years.context["years"]] == [(2021, 1), (2019, 2)]
    assert [(e["month"].month, e["count"]) for e in year.context["months"]] == [(7, 1), (8, 1)]
    assert "Juli 2019" in year.content.decode()
    assert list(month.context["articles"]) == [july]
    assert "Archiv Juli 2019" in month.content.decode()


def test_the_archive_month_follows_berlin_time(client, sections):
    # 23:30 UTC on 31 July is 1 August in Berlin.
    make_article(
        section=sections[0],
        headline="Spät am Abend",
        publish_at=datetime.datetime(2019, 7, 31, 23, 30, tzinfo=datetime.UTC),
    )

    assert client.get("/archiv/2019/07/").status_code == 404
    assert len(client.get("/archiv/2019/08/").context["articles"]) == 1


# A page the cache does not have yet costs its own queries plus the content
# content version; what every page shows around the content (sections, latest
# items, ad places, Plus box) is cached from the reader's first page on.
FINGERPRINT = 1


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        ("/", 6 + FINGERPRINT),
        ("/rubrik/politik/", 5 + FINGERPRINT),
        ("/stichwort/ozg/", 5 + FINGERPRINT),
        ("/archiv/", 3 + FINGERPRINT),
        ("/archiv/2019/", 3 + FINGERPRINT),
        ("/archiv/2019/07/", 4 + FINGERPRINT),
    ],
)
@pytest.mark.parametrize("many", [False, True])
def test_list_pages_need_a_constant_number_of_queries(
    client, sections, django_assert_max_num_queries, url, budget, many
):
    berlin = timezone.get_current_timezone()
    count = 25 if many else 1
    for n in range(count):
        for section in sections:
            make_article(
                section=section,
                tags=["OZG", f"Tag {n}"],
                lead_image=make_image() if n % 2 else None,
                kind=Article.Kind.REPORT if n % 3 else Article.Kind.NEWS,
                publish_at=datetime.datetime(2019, 7, 1 + n, 9, tzinfo=berlin),
            )

    warm_shared_fragments(client)
    with django_assert_max_num_queries(budget):
        response = client.get(url)

    assert response.status_code == 200
    assert response["X-Cache"] == "miss"


def test_an_empty_section_says_so(client, sections):
    response = client.get("/rubrik/schul-it/")

    assert response.status_code == 200
    assert "In diesem Bereich ist noch nichts erschienen." in main_content(response)


def test_the_archive_year_follows_berlin_time(client, sections):
    # 23:30 UTC on 31 December 2019 is New Year 2020 in Berlin.
    make_article(
        section=sections[0],
        publish_at=datetime.datetime(2019, 12, 31, 23, 30, tzinfo=datetime.UTC),
    )

    years = client.get("/archiv/").context["years"]

    assert [(e["year"], e["count"]) for e in years] == [(2020, 1)]
    assert [e["month"].month for e in client.get("/archiv/2020/").context["months"]] == [1]
