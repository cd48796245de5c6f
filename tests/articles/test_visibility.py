"""Drafts, articles in review and scheduled articles are invisible to readers everywhere."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

# Drafts and reviews with a past publish time: an article taken back from
# publication keeps its time, so the status alone must hide it.
PAST = timezone.now() - datetime.timedelta(days=1)
HIDDEN = {
    "draft": {"status": Article.Status.DRAFT, "publish_at": PAST},
    "in review": {"status": Article.Status.REVIEW, "publish_at": PAST},
    "scheduled": {
        "status": Article.Status.PUBLISHED,
        "publish_at": timezone.now() + datetime.timedelta(days=1),
    },
}


@pytest.fixture
def world():
    section = make_section("Politik", slug="politik")
    visible = make_article(section=section, headline="Sichtbar", tags=["OZG"])
    hidden = {
        name: make_article(section=section, headline=f"Verborgen {name}", tags=["OZG"], **fields)
        for name, fields in HIDDEN.items()
    }
    return section, visible, hidden


def test_published_is_status_published_and_time_reached(world):
    _, visible, _ = world

    assert list(Article.objects.published()) == [visible]


def test_a_scheduled_article_appears_by_itself_when_its_time_comes(world, client):
    _, _, hidden = world
    scheduled = hidden["scheduled"]
    assert client.get(scheduled.get_absolute_url()).status_code == 404

    Article.objects.filter(pk=scheduled.pk).update(
        publish_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    assert client.get(scheduled.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("name", HIDDEN)
def test_the_article_page_answers_404_not_403(world, client, name):
    article = world[2][name]

    assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get(f"/artikel/{article.pk}/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/rubrik/politik/",
        "/stichwort/ozg/",
        "/archiv/",
        "/archiv/{year}/",
        "/archiv/{year}/{month:02d}/",
        "{visible}",
    ],
)
def test_no_list_shows_hidden_articles(world, client, url):
    _, visible, hidden = world
    when = timezone.localtime(visible.publish_at)
    url = url.format(year=when.year, month=when.month, visible=visible.get_absolute_url())

    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    for article in hidden.values():
        assert article.headline not in html
        assert article.get_absolute_url() not in html


def test_the_archive_counts_only_visible_articles(world, client):
    response = client.get("/archiv/")

    assert [entry["count"] for entry in response.context["years"]] == [1]


def test_a_tag_only_hidden_articles_use_is_not_revealed(client):
    make_article(status=Article.Status.DRAFT, tags=["Geheimprojekt"])

    response = client.get("/stichwort/geheimprojekt/")

    assert response.status_code == 404
    assert "Geheimprojekt" not in response.content.decode()


def test_a_month_with_only_hidden_articles_is_not_found(client):
    make_article(
        status=Article.Status.DRAFT, publish_at=datetime.datetime(2019, 7, 3, tzinfo=datetime.UTC)
    )

    assert client.get("/archiv/2019/").status_code == 404
    assert client.get("/archiv/2019/07/").status_code == 404
