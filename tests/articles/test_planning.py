"""The planning calendar: what goes live when, by week and month, in Berlin time."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db

URL = "/admin/articles/article/planung/"
BERLIN = datetime.timezone(datetime.timedelta(hours=1))  # winter time, as in these dates


def day_cell(html, day_label):
    start = html.index(f'<div class="planning__date">{day_label}</div>')
    return html[start : html.index("</td>", start)]


def test_the_week_shows_each_article_on_its_berlin_day(editor_client):
    # Sunday 23:30 UTC is Monday 00:30 in Berlin.
    late = make_article(
        kicker="Kiel",
        headline="Nach Mitternacht",
        status=Article.Status.REVIEW,
        publish_at=datetime.datetime(2026, 11, 29, 23, 30, tzinfo=datetime.UTC),
    )
    scheduled = make_article(
        kicker="Bremen",
        headline="Geplant",
        publish_at=datetime.datetime(2026, 12, 1, 9, 0, tzinfo=BERLIN),
    )

    html = editor_client.get(URL, {"ansicht": "woche", "datum": "2026-12-02"}).content.decode()

    assert "KW 49/2026: 30. November – 6. Dezember 2026" in html
    monday = day_cell(html, "30. Nov")
    assert "00:30" in monday and "Kiel: Nach Mitternacht" in monday
    tuesday = day_cell(html, "1. Dez")
    assert "09:00" in tuesday and "Bremen: Geplant" in tuesday
    assert f'href="/admin/articles/article/{scheduled.pk}/change/"' in tuesday
    assert f'href="/admin/articles/article/{late.pk}/change/"' in monday


def test_the_month_view_and_its_labels(editor_client):
    make_article(
        headline="Schon draußen", publish_at=datetime.datetime(2019, 7, 3, 9, tzinfo=BERLIN)
    )
    make_article(
        headline="Zurückgezogen",
        status=Article.Status.UNPUBLISHED,
        publish_at=datetime.datetime(2019, 7, 4, 9, tzinfo=BERLIN),
    )

    html = editor_client.get(URL, {"ansicht": "monat", "datum": "2019-07-15"}).content.decode()

    assert "Juli 2019" in html
    assert "Schon draußen" in html and "Veröffentlicht · " in html
    assert "Zurückgezogen" not in html
    assert 'href="?ansicht=monat&amp;datum=2019-06-01"' in html  # previous month
    assert 'href="?ansicht=monat&amp;datum=2019-08-01"' in html


def test_scheduled_articles_are_marked_as_planned(editor_client):
    tomorrow = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    make_article(headline="Morgen früh", publish_at=tomorrow)

    # The week that holds tomorrow: on a Sunday evening that is next week's.
    day = tomorrow.astimezone(ZoneInfo("Europe/Berlin")).date().isoformat()
    html = editor_client.get(f"{URL}?datum={day}").content.decode()

    assert "planning__entry--scheduled" in html
    assert "Geplant · " in html


@pytest.mark.parametrize("query", ["?datum=gestern", "?datum=2026-13-45", "?ansicht=jahr"])
def test_odd_parameters_show_this_week(editor_client, query):
    response = editor_client.get(URL + query)

    assert response.status_code == 200
    assert "KW " in response.content.decode()


def test_the_calendar_needs_a_query_per_view_not_per_article(
    editor_client, django_assert_max_num_queries
):
    for hour in range(20):
        make_article(publish_at=datetime.datetime(2026, 12, 1, hour, tzinfo=BERLIN))

    with django_assert_max_num_queries(6):
        editor_client.get(URL, {"datum": "2026-12-01"})


def test_the_calendar_is_for_the_newsroom(client, ad_sales):
    client.force_login(ad_sales)

    assert client.get(URL).status_code == 403


def test_the_article_list_links_to_the_calendar(editor_client):
    html = editor_client.get("/admin/articles/article/").content.decode()

    assert f'<a href="{URL}">Planung</a>' in html


def test_a_full_month_day_shows_its_first_six_and_counts_the_rest_on_its_berlin_day(
    editor_client, django_assert_max_num_queries
):
    # 23:30 UTC on 30 November is 00:30 on 1 December in Berlin: the day's first.
    make_article(
        headline="Kurz nach Mitternacht",
        publish_at=datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC),
    )
    for hour in range(9):
        make_article(
            headline=f"Meldung {hour + 1:02d} Uhr",
            publish_at=datetime.datetime(2026, 12, 1, hour + 1, tzinfo=BERLIN),
        )
    make_article(
        headline="Am Vortag", publish_at=datetime.datetime(2026, 11, 30, 22, tzinfo=BERLIN)
    )

    with django_assert_max_num_queries(6):
        response = editor_client.get(URL, {"ansicht": "monat", "datum": "2026-12-01"})
    html = response.content.decode()

    tuesday = day_cell(html, "1. Dez")
    shown = ["Kurz nach Mitternacht"] + [f"Meldung {hour:02d} Uhr" for hour in range(1, 6)]
    assert all(headline in tuesday for headline in shown)
    assert "Meldung 06 Uhr" not in tuesday and "Am Vortag" not in tuesday
    assert "+ 4 weitere" in tuesday
    assert "Am Vortag" in day_cell(html, "30. Nov")
