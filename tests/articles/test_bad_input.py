"""Bad addresses and query strings get a clear answer, never a 500."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article(section=make_section("Politik", slug="politik"), tags=["OZG"])


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/artikel/999999-gibt-es-nicht/", 404),  # unknown id
        ("/artikel/999999/", 404),  # unknown id without slug
        ("/artikel/abc-sachsen/", 404),  # non-numeric id
        ("/artikel/-1-sachsen/", 404),  # negative id
        ("/artikel/99999999999999999999999-x/", 404),  # id beyond bigint: no overflow
        ("/artikel/{pk}-{long}/", 301),  # overlong slug: to the canonical address
        ("/rubrik/gibt-es-nicht/", 404),  # unknown section
        ("/rubrik/politik/?page=abc", 400),  # page is not a number
        ("/rubrik/politik/?page=1e3", 400),
        ("/rubrik/politik/?page=", 200),  # empty means the first page
        ("/rubrik/politik/?page=99999", 404),  # beyond the last page
        ("/rubrik/politik/?page=0", 404),
        ("/rubrik/politik/?page=-1", 404),
        ("/rubrik/politik/?page=99999999999999999999999999", 404),
        ("/stichwort/gibt-es-nicht/", 404),  # unknown tag
        ("/stichwort/ozg/?page=abc", 400),
        ("/archiv/2019/13/", 404),  # impossible month
        ("/archiv/2019/00/", 404),
        ("/archiv/0000/", 404),  # impossible year
        ("/archiv/0000/01/", 404),
        ("/archiv/20190/", 404),
        ("/archiv/0999/05/", 404),  # a year before 1000, with nothing in it
        ("/archiv/2019/", 404),  # nothing published that year
        ("/archiv/2019/06/", 404),
        ("/archiv/{year}/{month}/?page=abc", 400),
        ("/archiv/{year}/{month}/?page=2", 404),
    ],
)
def test_each_bad_input_gets_its_answer(client, article, url, status):
    when = timezone.localtime(article.publish_at)
    response = client.get(
        url.format(pk=article.pk, long="x" * 5000, year=when.year, month=f"{when.month:02d}")
    )

    assert response.status_code == status
    if status == 301:
        assert response["Location"] == article.get_absolute_url()


def test_a_bad_page_number_is_explained_in_german(client, article):
    response = client.get("/rubrik/politik/?page=abc")

    assert response.status_code == 400
    assert "Ungültige Anfrage" in response.content.decode()


def test_the_404_page_is_german_and_helps_on(client):
    response = client.get("/gibt-es-nicht/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Seite nicht gefunden" in html
    assert 'href="/archiv/"' in html
    assert '<html lang="de">' in html


def test_the_500_page_is_german_and_needs_no_database(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Fehler auf dem Server" in response.content.decode()


def test_archive_addresses_of_early_years_have_four_digits():
    assert reverse("articles:archive-year", args=[999]) == "/archiv/0999/"
    assert reverse("articles:archive-month", args=[999, 5]) == "/archiv/0999/05/"


def test_a_host_we_do_not_serve_gets_a_400_not_a_500(client, article):
    client.raise_request_exception = False

    response = client.get(article.get_absolute_url(), HTTP_HOST="evil.test")

    assert response.status_code == 400
    assert "evil.test" not in response.content.decode()
