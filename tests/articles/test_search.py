"""Full-text search for German text: what readers type, what they get back."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles import search
from articles.models import Article
from articles.tasks import merge_search_words
from articles.views import search as search_page
from tests.factories import make_article, make_section
from tests.pages import main_content, warm_shared_fragments

pytestmark = pytest.mark.django_db

SEARCH = "/suche/"


def days_ago(n):
    return timezone.now() - datetime.timedelta(days=n)


@pytest.fixture
def archive():
    politik = make_section("Politik", slug="politik")
    praxis = make_section("Praxis", slug="praxis")
    return {
        "sachsen": make_article(
            section=politik,
            kicker="Sachsen",
            headline="Digitalstrategie überarbeitet",
            teaser="Die Digitalisierungsstrategie des Freistaats liegt vor.",
            body="<p>Verwaltungsleistungen sind über das Serviceportal Amt24 zugänglich.</p>",
            tags=["OZG", "Sachsen"],
            publish_at=days_ago(2000),
        ),
        "bremen": make_article(
            section=praxis,
            kicker="Bremen",
            headline="Familienleistungen in einem Schritt",
            teaser="Eltern stellen mehrere Anträge auf einmal.",
            body="<p>Ein Beispiel für das Once-Only-Prinzip &amp; die Digitalisierung.</p>",
            kind=Article.Kind.REPORT,
            tags=["Bürgerservice"],
            publish_at=days_ago(10),
        ),
        "bayern": make_article(
            section=politik,
            kicker="Bayern",
            headline="Onlinezugangsgesetz umgesetzt",
            teaser="Bayern meldet Fortschritte bei der Digitalisierung.",
            body="<p>Die Registermodernisierung kommt voran.</p>",
            tags=["OZG", "Registermodernisierung"],
            publish_at=days_ago(5),
        ),
        "draft": make_article(
            section=politik,
            headline="Geheimer Entwurf zum Amt24",
            status=Article.Status.DRAFT,
        ),
    }


def found(response):
    return [a.headline for a in response.context["results"]]


def test_amt24_finds_the_sachsen_article_with_the_word_highlighted(client, archive):
    response = client.get(SEARCH, {"q": "Amt24"})

    assert response.status_code == 200
    assert found(response) == ["Digitalstrategie überarbeitet"]
    html = main_content(response)
    assert "Serviceportal <mark>Amt24</mark> zugänglich" in html
    assert "1 Treffer für „Amt24“" in html
    assert "Geheimer Entwurf" not in html  # drafts never appear


def test_the_last_word_matches_as_a_prefix(client, archive):
    assert "Digitalstrategie überarbeitet" in found(client.get(SEARCH, {"q": "Digitalisier"}))


@pytest.mark.parametrize(
    ("query", "headline"),
    [
        ("Cloud-Strat", "Cloud-Strategie des Bundes"),
        ("Bund Cloud-Strategie", "Cloud-Strategie des Bundes"),
        ("Bürger-Serv", "Das Bürger-Service-Portal"),
        ("Bürger-Service-Portale", "Das Bürger-Service-Portal"),
        ("Straßen-Bau", "Straßen-Baustellen digital"),
        ("Smart-City-Plattform", "Smart-City-Plattformen im Vergleich"),
    ],
)
def test_a_hyphenated_last_word_matches_as_a_prefix_too(client, query, headline):
    for title in [
        "Cloud-Strategie des Bundes",
        "Das Bürger-Service-Portal",
        "Straßen-Baustellen digital",
        "Smart-City-Plattformen im Vergleich",
        "Eine Cloud mit Strategie",
    ]:
        make_article(headline=title)

    assert found(client.get(SEARCH, {"q": query})) == [headline]


def test_a_begun_compound_is_marked_whole(client):
    make_article(headline="E-Rechnung kommt", kicker="")

    response = client.get(SEARCH, {"q": "E-Rech"})

    assert "<mark>E</mark>-<mark>Rechnung</mark> kommt" in main_content(response)


def test_german_stemming_finds_inflected_forms(client, archive):
    response = client.get(SEARCH, {"q": "Verwaltungsleistung"})

    assert found(response) == ["Digitalstrategie überarbeitet"]


def test_headline_matches_weigh_more_than_body_matches(client, archive):
    make_article(headline="Registermodernisierung beschlossen", publish_at=days_ago(400))

    titles = found(client.get(SEARCH, {"q": "Registermodernisierung"}))

    # Bayern is newer and has the word as a tag, but the headline weighs most.
    assert titles[0] == "Registermodernisierung beschlossen"
    assert "Onlinezugangsgesetz umgesetzt" in titles


def test_recent_articles_get_a_gentle_boost(client, archive):
    old = make_article(headline="Breitband im Landkreis", publish_at=days_ago(3000))
    new = make_article(headline="Breitband im Landkreis", publish_at=days_ago(1))

    response = client.get(SEARCH, {"q": "Breitband"})

    assert [a.pk for a in response.context["results"]] == [new.pk, old.pk]


def test_results_can_be_sorted_by_date(client, archive):
    response = client.get(SEARCH, {"q": "Digitalisierung", "sortierung": "datum"})

    assert found(response) == [
        "Onlinezugangsgesetz umgesetzt",
        "Familienleistungen in einem Schritt",
        "Digitalstrategie überarbeitet",
    ]


@pytest.mark.parametrize(
    ("query", "headlines"),
    [
        ('"Once-Only-Prinzip"', ["Familienleistungen in einem Schritt"]),
        (
            "Bremen OR Bayern",
            ["Onlinezugangsgesetz umgesetzt", "Familienleistungen in einem Schritt"],
        ),
        # With operators, words are whole words: no prefix, so not "Digitalisierungsstrategie".
        ("Digitalisierung -Bayern", ["Familienleistungen in einem Schritt"]),
        ("OZG", ["Onlinezugangsgesetz umgesetzt", "Digitalstrategie überarbeitet"]),
    ],
)  # fmt: skip
def test_query_syntax_as_people_type_it(client, archive, query, headlines):
    response = client.get(SEARCH, {"q": query, "sortierung": "datum"})

    assert found(response) == headlines


def test_tags_are_searchable_and_stay_current(client, archive):
    sachsen = archive["sachsen"]
    assert found(client.get(SEARCH, {"q": "Wahlbenachrichtigung"})) == []

    sachsen.set_tags(["OZG", "Wahlbenachrichtigung"])

    assert found(client.get(SEARCH, {"q": "Wahlbenachrichtigung"})) == [sachsen.headline]


def test_bulk_updates_reach_the_search_too(client, archive):
    Article.objects.filter(pk=archive["bremen"].pk).update(headline="Kita-Gutscheine digital")

    assert found(client.get(SEARCH, {"q": "Gutscheine"})) == ["Kita-Gutscheine digital"]


def test_a_renamed_tag_is_found_by_its_new_name(client, archive):
    tag = archive["bayern"].ordered_tags[1]
    tag.name = "Registerzensus"
    tag.save()

    assert found(client.get(SEARCH, {"q": "Registerzensus"})) == ["Onlinezugangsgesetz umgesetzt"]


@pytest.mark.parametrize(
    ("filters", "headlines"),
    [
        ({"bereich": "praxis"}, ["Familienleistungen in einem Schritt"]),
        ({"art": "report"}, ["Familienleistungen in einem Schritt"]),
        ({"stichwort": "OZG"}, ["Onlinezugangsgesetz umgesetzt", "Digitalstrategie überarbeitet"]),
        ({"stichwort": "buergerservice"}, ["Familienleistungen in einem Schritt"]),
        ({"stichwort": "Gibt es nicht"}, []),
        ({"von": (timezone.localdate() - datetime.timedelta(days=20)).isoformat()},
         ["Onlinezugangsgesetz umgesetzt", "Familienleistungen in einem Schritt"]),
        ({"bis": (timezone.localdate() - datetime.timedelta(days=20)).isoformat()},
         ["Digitalstrategie überarbeitet"]),
    ],
)  # fmt: skip
def test_filters(client, archive, filters, headlines):
    response = client.get(SEARCH, {"q": "Digitalisierung", "sortierung": "datum", **filters})

    assert response.status_code == 200
    assert found(response) == headlines


def test_snippets_are_escaped_except_the_highlight(client):
    make_article(
        headline="Sicherheit & <Recht>",
        teaser='Angriff mit <script>alert("x")</script> abgewehrt.',
        body="<p>Die Firewall hielt.</p>",
    )

    html = main_content(client.get(SEARCH, {"q": "Angriff"}))

    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>Angriff</mark>" in html
    assert "Sicherheit &amp; &lt;Recht&gt;" in html


def test_a_helpful_page_when_nothing_is_found(client, archive):
    response = client.get(SEARCH, {"q": "Quantencomputer"})

    html = main_content(response)
    assert response.status_code == 200
    assert "0 Treffer für „Quantencomputer“" in html
    assert "Nichts gefunden" in html
    assert "Der Anfang eines Wortes genügt" in html


def test_results_are_paginated_with_a_count(client, monkeypatch):
    monkeypatch.setattr(search_page, "SEARCH_PAGE_SIZE", 2)
    for n in range(5):
        make_article(headline=f"Cloud-Strategie {n}", publish_at=days_ago(n + 1))

    first = client.get(SEARCH, {"q": "Cloud", "sortierung": "datum"})
    third = client.get(SEARCH, {"q": "Cloud", "sortierung": "datum", "page": "3"})

    assert "5 Treffer" in main_content(first)
    assert found(first) == ["Cloud-Strategie 0", "Cloud-Strategie 1"]
    assert found(third) == ["Cloud-Strategie 4"]
    assert "q=Cloud&amp;sortierung=datum&amp;page=2" in main_content(first)


def test_a_page_past_the_end_links_back_to_the_first_with_the_filters(client, archive):
    response = client.get(SEARCH, {"q": "Digitalisierung", "bereich": "politik", "page": "9"})

    assert "Diese Seite der Trefferliste gibt es nicht" in main_content(response)
    assert 'href="?q=Digitalisierung&amp;bereich=politik">Zur ersten Seite' in (
        main_content(response)
    )


def test_very_many_matches_give_the_newest_and_say_so(client, monkeypatch):
    monkeypatch.setattr(search, "RESULT_LIMIT", 3)
    for days in [1, 40, 400, 2000, 5000]:
        make_article(headline=f"Cloud vor {days} Tagen", publish_at=days_ago(days))

    response = client.get(SEARCH, {"q": "Cloud", "sortierung": "datum"})

    assert found(response) == ["Cloud vor 1 Tagen", "Cloud vor 40 Tagen", "Cloud vor 400 Tagen"]
    assert "Mehr als 3 Treffer für „Cloud“. Berücksichtigt werden die 3 neuesten" in (
        main_content(response)
    )
    assert "Mehr als" not in main_content(client.get(SEARCH, {"q": "Zebra"}))


# One article in each stretch the search looks through (articles.search.windows),
# and on both sides of their borders.
AGES_IN_DAYS = [0, 80, 100, 380, 420, 1400, 1600, 3600, 3800, 9000]


def test_matches_of_every_age_are_found_newest_first(client):
    for days in AGES_IN_DAYS:
        make_article(headline=f"Geoportal vor {days} Tagen", publish_at=days_ago(days))

    by_date = client.get(SEARCH, {"q": "Geoportal", "sortierung": "datum"})
    by_relevance = client.get(SEARCH, {"q": "Geoportal"})

    assert found(by_date) == [f"Geoportal vor {days} Tagen" for days in AGES_IN_DAYS]
    assert "10 Treffer" in main_content(by_date)
    # Equal words, so the gentle boost for recency decides.
    assert found(by_relevance) == found(by_date)


@pytest.mark.parametrize("limit", [1, 2, 4, 7])
def test_the_newest_are_found_across_stretches(client, monkeypatch, limit):
    monkeypatch.setattr(search, "RESULT_LIMIT", limit)
    for days in reversed(AGES_IN_DAYS):
        make_article(headline=f"Geoportal vor {days} Tagen", publish_at=days_ago(days))

    response = client.get(SEARCH, {"q": "Geoportal", "sortierung": "datum"})

    assert found(response) == [f"Geoportal vor {days} Tagen" for days in AGES_IN_DAYS[:limit]]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    # Ages in days: spread over decades, or bunched within a few months.
    ages=st.one_of(
        st.lists(st.integers(min_value=0, max_value=12_000), min_size=1, max_size=25),
        st.lists(st.integers(min_value=0, max_value=120), min_size=1, max_size=25),
    ),
    limit=st.integers(min_value=1, max_value=12),
)
def test_the_newest_matches_are_found_whatever_their_ages(client, monkeypatch, ages, limit):
    monkeypatch.setattr(search, "RESULT_LIMIT", limit)
    Article.objects.all().delete()
    for n, days in enumerate(ages):
        make_article(
            headline=f"Geoportal {n}", publish_at=days_ago(days) - datetime.timedelta(minutes=n)
        )

    response = client.get(SEARCH, {"q": "Geoportal", "sortierung": "datum"})

    newest = sorted(range(len(ages)), key=lambda n: (ages[n], n))[:limit]
    assert found(response) == [f"Geoportal {n}" for n in newest]
    assert ("Mehr als" in main_content(response)) == (len(ages) > limit)


def test_a_date_range_long_ago_finds_what_lies_in_it(client):
    for days in AGES_IN_DAYS:
        make_article(headline=f"Geoportal vor {days} Tagen", publish_at=days_ago(days))
    today = timezone.localdate()

    response = client.get(
        SEARCH,
        {
            "q": "Geoportal",
            "sortierung": "datum",
            "von": (today - datetime.timedelta(days=3700)).isoformat(),
            "bis": (today - datetime.timedelta(days=390)).isoformat(),
        },
    )

    assert found(response) == [f"Geoportal vor {days} Tagen" for days in [420, 1400, 1600, 3600]]


def test_filters_follow_bulk_changes(client, archive):
    bremen = archive["bremen"]
    Article.objects.filter(pk=bremen.pk).update(
        section=archive["bayern"].section, kind=Article.Kind.NEWS, publish_at=days_ago(4000)
    )
    bremen.tags.add("OZG")

    def headlines(**filters):
        params = {"q": "Digitalisierung", "sortierung": "datum", **filters}
        return found(client.get(SEARCH, params))

    assert headlines(bereich="praxis") == []
    assert headlines(art="report") == []
    assert "Familienleistungen in einem Schritt" in headlines(bereich="politik", art="news")
    assert headlines(stichwort="OZG")[-1] == "Familienleistungen in einem Schritt"
    assert headlines(bis=(timezone.localdate() - datetime.timedelta(days=3000)).isoformat()) == [
        "Familienleistungen in einem Schritt"
    ]


def test_the_search_box_is_on_every_page(client, archive):
    for url in ["/", "/rubrik/politik/", archive["sachsen"].get_absolute_url(), "/archiv/"]:
        html = client.get(url).content.decode()
        assert 'action="/suche/" role="search"' in html
        assert 'placeholder="Suchen..."' in html


def test_the_search_page_needs_a_constant_number_of_queries(
    client, archive, django_assert_max_num_queries
):
    for n in range(25):
        days = AGES_IN_DAYS[n % len(AGES_IN_DAYS)]
        make_article(
            headline=f"Digitalisierung {n}", tags=["OZG", f"T{n}"], publish_at=days_ago(days)
        )

    # The content version, the tag, the query's words spelled out, one look
    # into the index per stretch of years that holds hits (three here), the
    # page and its highlights. The
    # section menu comes from the cache once any search has been made.
    warm_shared_fragments(client)
    client.get(SEARCH, {"q": "Vorwärmen"})
    with django_assert_max_num_queries(8):
        response = client.get(SEARCH, {"q": "Digitalisierung", "stichwort": "OZG"})

    assert len(response.context["results"]) == 20
    assert "27 Treffer" in main_content(response)


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"q": ""}, 200, "Geben Sie einen Suchbegriff ein"),
        ({}, 200, "Geben Sie einen Suchbegriff ein"),
        ({"q": "x" * 10_000}, 400, "Ihre Suchanfrage ist zu lang"),
        ({"q": ": * & | ! ( ) ' \\"}, 200, "Treffer"),
        ({"q": "OZG:* & !Bayern"}, 200, "Treffer"),
        ({"q": "'; DROP TABLE articles_article; --"}, 200, "Treffer"),
        ({"q": "1 OR 1=1"}, 200, "Treffer"),
        ({"q": '"unbalanced'}, 200, "Treffer"),
        ({"q": "OZG", "bereich": "gibt-es-nicht"}, 400, "gültige Auswahl"),
        ({"q": "OZG", "art": "kommentar"}, 400, "gültige Auswahl"),
        ({"q": "OZG", "von": "2019-02-30"}, 400, "gültiges Datum"),
        ({"q": "OZG", "von": "gestern"}, 400, "gültiges Datum"),
        ({"q": "OZG", "von": "2024-01-01", "bis": "2019-01-01"}, 400, "vor seinem Anfang"),
        ({"q": "OZG", "bis": "9999-12-31"}, 400, "zwischen 01.01.1900 und 31.12.2199"),
        ({"q": "OZG", "bis": "0010-06-01"}, 400, "zwischen 01.01.1900 und 31.12.2199"),
        ({"q": "OZG", "von": "0001-01-01"}, 400, "zwischen 01.01.1900 und 31.12.2199"),
        ({"q": "OZG", "page": "-1"}, 400, "ganze Zahl ab 1"),
        ({"q": "OZG", "page": "abc"}, 400, "ganze Zahl ab 1"),
        ({"q": "OZG", "page": "0"}, 400, "ganze Zahl ab 1"),
        ({"q": "OZG", "page": "99999"}, 200, "Diese Seite der Trefferliste gibt es nicht"),
    ],
)
def test_bad_input_gets_a_clear_answer(client, archive, params, status, message):
    response = client.get(SEARCH, params)

    html = response.content.decode()
    assert response.status_code == status
    assert message in html
    # What a screen reader reads first says whether the request went wrong.
    assert ("<title>Fehler: " in html) == (status == 400)


@settings(
    max_examples=75, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=300))
def test_any_query_string_is_answered_never_crashed(client, query):
    response = client.get(SEARCH, {"q": query.replace("\x00", "")})

    assert response.status_code in (200, 400)


def test_a_new_section_is_offered_in_the_search_at_once(client, archive):
    client.get(SEARCH, {"q": "OZG"})  # the section menu is cached now
    make_section("Cybersicherheit", slug="cybersicherheit")

    menu = client.get(SEARCH, {"q": "OZG"}).content.decode()
    narrowed = client.get(SEARCH, {"q": "OZG", "bereich": "cybersicherheit"})

    assert '<option value="cybersicherheit">Cybersicherheit</option>' in menu
    assert narrowed.status_code == 200
    assert "Nichts gefunden" in main_content(narrowed)  # a valid choice, with no articles yet


def matching(query):
    return set(Article.objects.filter(search_vector=query).values_list("headline", flat=True))


@pytest.mark.parametrize(
    "text",
    [
        "Registermodernis",
        "Digitalis",
        "Smart-City-Plattform",
        "Cloud-Strat",
        "Bürger-Service-Portale",
        '"Smart-City-Plattformen im"',
        '"im Vergleich" Smart-City-Plattformen',
        "KI OR Künstliche Intelligenz",
        "Terminvergabe -München",
        "Amt24",
    ],
)
def test_a_query_spelled_out_word_by_word_finds_what_it_found_before(text, archive):
    for title in [
        "Smart-City-Plattformen im Vergleich",
        "Smart City Plattform",
        "Cloud-Strategie des Bundes",
        "Das Bürger-Service-Portal",
        "Registermodernisierungsgesetz beschlossen",
        "Künstliche Intelligenz in Ämtern",
        "Terminvergabe in München",
        "Terminvergabe in Köln",
    ]:
        make_article(headline=title)
    written = search.build_query(text)

    spelled = search.spelled_out(written, Article.objects.all())

    assert matching(spelled) == matching(written)
    assert matching(written)  # something to compare


def test_a_prefix_is_asked_as_the_words_it_begins(archive):
    make_article(headline="Registermodernisierungsgesetz beschlossen")

    spelled = search.spelled_out(search.build_query("Registermod"), Article.objects.all())

    assert spelled.printed == "('registermodernisier' | 'registermodernisierungsgesetz')"


def test_a_compounds_phrase_is_asked_as_the_compound_unless_more_follows():
    def printed(text):
        return search.spelled_out(search.build_query(text), Article.objects.all()).printed

    assert printed('"Smart-City"') == "'smart-city'"
    assert printed('"Smart-City Plattform"') == (
        "'smart-city' <-> 'smart' <-> 'city' <-> 'plattform'"
    )


def test_a_word_new_to_the_archive_is_found_by_its_beginning_at_once(client, archive):
    article = make_article(headline="Neues aus der Verwaltung")
    assert found(client.get(SEARCH, {"q": "Quantenverw"})) == []

    Article.objects.filter(pk=article.pk).update(body="<p>Die Quantenverwaltung kommt.</p>")

    assert found(client.get(SEARCH, {"q": "Quantenverw"})) == ["Neues aus der Verwaltung"]


def test_a_prefix_that_begins_very_many_words_stays_a_prefix(monkeypatch, archive):
    monkeypatch.setattr(search, "MAX_SPELLED_OUT", 1)
    make_article(headline="Registermodernisierungsgesetz beschlossen")

    spelled = search.spelled_out(search.build_query("Registermod"), Article.objects.all())

    assert spelled.printed == "'registermod':*"
    assert matching(spelled) == {
        "Onlinezugangsgesetz umgesetzt",
        "Registermodernisierungsgesetz beschlossen",
    }


def vocabulary(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT lexeme FROM {table} WHERE lexeme LIKE 'quantenverw%%'")  # noqa: S608
        return {word for (word,) in cursor.fetchall()}


def test_a_new_word_is_found_by_its_beginning_at_once_and_joins_the_vocabulary_later():
    make_article(headline="Quantenverwaltungsportal startet")

    spelled = search.spelled_out(search.build_query("Quantenverw"), Article.objects.all())

    assert matching(spelled) == {"Quantenverwaltungsportal startet"}
    assert vocabulary("articles_searchword") == set()
    moved = merge_search_words.call()

    assert moved >= 2  # the article's words
    assert vocabulary("articles_searchword") == {"quantenverwaltungsportal"}
    assert vocabulary("articles_searchword_new") == set()
    spelled = search.spelled_out(search.build_query("Quantenverw"), Article.objects.all())
    assert matching(spelled) == {"Quantenverwaltungsportal startet"}
    # A word already in the vocabulary is not noted again.
    make_article(headline="Quantenverwaltungsportal wächst")
    assert vocabulary("articles_searchword_new") == set()
