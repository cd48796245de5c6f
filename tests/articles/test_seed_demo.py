import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.demo.reference import REFERENCE
from articles.models import Article, Image, Section, Tag
from tests.pages import main_content

pytestmark = pytest.mark.django_db


def seed(*args):
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo content, loaded once for the module: it draws and scales 44 pictures.

    Each test still runs in a transaction that is rolled back, so what a test
    changes is gone for the next; the rows themselves are removed at the end.
    """
    with django_db_blocker.unblock():
        seed()
    yield
    with django_db_blocker.unblock():
        Article.objects.all().delete()
        Image.objects.all().delete()
        Tag.objects.all().delete()
        Section.objects.all().delete()


def sachsen():
    return Article.objects.for_page().get(
        kicker="Sachsen", headline="Digitalstrategie überarbeitet"
    )


def test_it_loads_the_reference_article_as_the_page_shows_it(seeded, client):
    article = sachsen()

    assert article.section.name == "Politik"
    assert article.status == Article.Status.PUBLISHED
    assert timezone.localtime(article.publish_at).date() == datetime.date(2019, 7, 3)
    assert article.teaser == REFERENCE["teaser"]
    assert article.byline == "ba"
    assert article.body.count("<p>") == 3
    assert "750.000 Euro, um die digitale Hochschulbildung zu stärken.</p>" in article.body
    assert [tag.name for tag in article.ordered_tags] == [
        "Politik", "Sachsen", "Digitalstrategie", "Schul-IT", "OZG", "Amt24",
    ]  # fmt: skip
    assert [(link.label, link.url) for link in article.links.all()] == [
        (
            "Weitere Informationen und die Digitalisierungsstrategie zum Download (Deep Link)",
            "http://www.smwa.sachsen.de",
        )
    ]


def test_its_page_lists_the_related_items_of_the_reference_page(seeded, client):
    response = client.get(sachsen().get_absolute_url())

    html = main_content(response)
    related = html[html.index("Weitere Meldungen und Beiträge aus dem Bereich Politik") :]
    expected = [
        "Niedersachsen: Kooperation mit govdigital",
        "[22.5.2024]",
        "Oldenburg: Digital nach Plan",
        "Bericht",
        "[21.5.2024]",
        "Oldenburg ist auf dem Weg zum digitalen Rathaus.",
        "Düsseldorf: Digitalstrategie neu ausgerichtet",
        "[23.4.2024]",
        "Die Stadt Düsseldorf hat ihre Digitalstrategie neu ausgerichtet.",
        "Thüringen: E-Government-Gesetz wird novelliert",
        "[18.4.2024]",
        "Chief Digital Officer: Mädchen für alles",
        "Bericht",
        "[9.4.2024]",
        "CDOs sind oft mit einer Fülle an Aufgaben konfrontiert.",
    ]
    position = 0
    for text in expected:
        assert text in related[position:], f"{text!r} missing or out of order"
        position = related.index(text, position)


def test_the_reference_article_is_where_a_newcomer_looks(seeded, client):
    url = sachsen().get_absolute_url()

    assert url in client.get("/").content.decode()
    assert url in main_content(client.get("/rubrik/politik/"))
    assert url in main_content(client.get("/stichwort/ozg/"))
    assert url in main_content(client.get("/archiv/2019/07/"))


def test_it_loads_plenty_of_articles_in_every_section(seeded):
    assert Article.objects.published().count() >= 72
    for section in Section.objects.all():
        assert section.articles.count() >= 6, section.name
    years = {a.publish_at.year for a in Article.objects.all()}
    assert set(range(2019, 2025)) <= years


def test_it_can_run_again_without_duplicates(seeded):
    before = Article.objects.count()

    assert "0 Artikel angelegt" in seed()

    assert Article.objects.count() == before


def test_if_empty_leaves_an_existing_site_alone(seeded):
    Article.objects.filter(kicker="Sachsen").delete()

    seed("--if-empty")

    assert not Article.objects.filter(kicker="Sachsen").exists()
