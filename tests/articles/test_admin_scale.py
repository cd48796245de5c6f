"""The article list stays quick with a large archive: no full counts, no full scans."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.paginators import CappedCountPaginator
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/article/"


@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "CAP", 5)


@pytest.fixture
def eight(db):
    section = make_section("Politik", slug="politik")
    return [
        make_article(
            section=section,
            status=Article.Status.DRAFT if n % 2 else Article.Status.PUBLISHED,
            publish_at=datetime.datetime(2018 + n % 3, 3, 1, tzinfo=datetime.UTC),
        )
        for n in range(8)
    ]


def test_a_filtered_list_counts_only_up_to_the_cap(chief_client, eight, small_cap):
    with CaptureQueriesContext(connection) as queries:
        response = chief_client.get(CHANGELIST + "?status__exact=published")

    assert "mehr als 5 Artikel" not in response.content.decode()  # 4 published: exact
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert counts and all("LIMIT 6" in sql for sql in counts)


def test_beyond_the_cap_the_list_says_more_than(chief_client, eight, small_cap):
    response = chief_client.get(CHANGELIST + "?section__id__exact=" + str(eight[0].section_id))

    assert "mehr als 5 Artikel" in response.content.decode()


def test_the_unfiltered_list_uses_the_planners_estimate(chief_client, eight, small_cap):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")

    with CaptureQueriesContext(connection) as queries:
        response = chief_client.get(CHANGELIST)

    assert "ca. 8 Artikel" in response.content.decode()
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"]]


def test_the_year_level_lists_years_without_a_full_scan(chief_client, eight):
    with CaptureQueriesContext(connection) as queries:
        html = chief_client.get(CHANGELIST).content.decode()

    for year in ("2018", "2019", "2020"):
        assert f'?publish_at__year={year}">{year}</a>' in html
    assert not [q for q in queries.captured_queries if "DISTINCT" in q["sql"]]


def test_drilling_down_into_a_year_lists_its_months(chief_client, eight):
    html = chief_client.get(CHANGELIST + "?publish_at__year=2019").content.decode()

    assert "März 2019" in html


@pytest.mark.parametrize(
    ("term", "found"),
    [
        ("Sachsen", ["Sachsen: Strategie"]),  # kicker
        ("Strategie", ["Sachsen: Strategie"]),  # headline
        ("Strat", ["Sachsen: Strategie"]),  # the last word as a prefix
        ("Amt24", ["Bayern: Portal"]),  # a word in the body
        ("Digitalisierung", ["Sachsen: Strategie", "Bayern: Portal"]),  # German stemming
        ("Sachsen OR Bayern", ["Sachsen: Strategie", "Bayern: Portal"]),
        ("Digitalisierung -Bayern", ["Sachsen: Strategie"]),
        ('"online portal"', ["Bayern: Portal"]),
        ("': * & | ! ( ) \\", []),  # tsquery syntax typed by mistake: no error
    ],
)
def test_search_uses_the_german_full_text_index(chief_client, term, found):
    make_article(kicker="Sachsen", headline="Strategie", teaser="Die Digitalisierung geht voran.")
    make_article(
        kicker="Bayern",
        headline="Portal",
        teaser="Ein Online Portal für Digitalisierungen.",
        body="<p>Wie bei Amt24.</p>",
    )

    response = chief_client.get(CHANGELIST, {"q": term})

    assert response.status_code == 200
    titles = sorted(a.title for a in response.context["cl"].result_list)
    assert titles == sorted(found)


def test_a_number_finds_the_article_with_that_id(chief_client):
    article = make_article(headline="Gesucht")
    make_article(headline="Anderes")

    response = chief_client.get(CHANGELIST, {"q": str(article.pk)})

    assert [a.pk for a in response.context["cl"].result_list] == [article.pk]


def test_a_new_article_is_by_its_writer(editor_client, editor):
    form = editor_client.get("/admin/articles/article/add/").context["adminform"].form

    assert form.initial["author"] == editor.pk


def test_tag_suggestions_put_names_that_start_with_the_input_first(editor_client):
    make_article(tags=["Niedersachsen", "Sachsen", "Sachsen-Anhalt", "Politik"])

    response = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "article", "field_name": "tags", "term": "sach"},
    )

    assert [r["text"] for r in response.json()["results"]] == [
        "Sachsen",
        "Sachsen-Anhalt",
        "Niedersachsen",
    ]


def test_the_form_wires_up_tag_suggestions(editor_client):
    html = editor_client.get("/admin/articles/article/add/").content.decode()

    assert 'data-autocomplete-url="/admin/autocomplete/"' in html
    assert "js/tag-autocomplete.js" in html
