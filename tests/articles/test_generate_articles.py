import io

import pytest
from django.core.management import call_command

from articles.models import Article, TaggedArticle
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def generate(*args):
    out = io.StringIO()
    call_command("generate_articles", *args, stdout=out)
    return out.getvalue()


def test_it_generates_tagged_articles_over_the_years():
    out = generate("--count", "400", "--years", "5")

    assert "400 Artikel erzeugt" in out
    assert Article.objects.count() == 400
    assert Article.objects.published().count() > 350
    per_article = TaggedArticle.objects.values("content_object").distinct().count()
    assert per_article == 400
    years = {a.publish_at.year for a in Article.objects.only("publish_at")}
    assert len(years) >= 5


def test_generated_articles_are_readable_like_any_other(client):
    generate("--count", "50")
    article = Article.objects.published().first()

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert article.headline in response.content.decode()
    assert client.get(article.ordered_tags[0].get_absolute_url()).status_code == 200


def test_later_articles_get_fresh_ids():
    generate("--count", "20")

    article = make_article()

    assert article.pk > max(Article.objects.exclude(pk=article.pk).values_list("pk", flat=True))


def test_dry_run_saves_nothing():
    assert "würden erzeugt" in generate("--count", "30", "--dry-run")
    assert Article.objects.count() == 0
