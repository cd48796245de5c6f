"""Two editors, one article: the second to save is told, keeps their text, and can compare."""

import pytest

from articles.models import Article
from articles.revisions import save_revision
from tests.conftest import make_staff
from tests.factories import article_form, make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def politik():
    return make_section("Politik", slug="politik")


@pytest.fixture
def draft(politik):
    article = make_article(section=politik, status=Article.Status.DRAFT, headline="Ausgangstext")
    save_revision(article, comment="Angelegt")
    return article


@pytest.fixture
def two_editors(client, django_user_model):
    from django.test import Client

    anna, ben = Client(), Client()
    anna.force_login(make_staff(django_user_model, "anna", "Redaktion"))
    ben.force_login(make_staff(django_user_model, "ben", "Redaktion"))
    return anna, ben


def opened_version(client, article):
    """Open the change form as a browser does and read the version it carries."""
    response = client.get(f"/admin/articles/article/{article.pk}/change/")
    assert 'name="loaded_version"' in response.content.decode()
    return response.context["adminform"].form["loaded_version"].value()


def post(client, article, version, **fields):
    data = article_form(article.section, loaded_version=str(version), **fields)
    data.update({"links-INITIAL_FORMS": "0", "links-TOTAL_FORMS": "0"})
    return client.post(f"/admin/articles/article/{article.pk}/change/", data)


def test_the_second_save_is_stopped_and_keeps_the_text(two_editors, draft):
    anna, ben = two_editors
    annas, bens = opened_version(anna, draft), opened_version(ben, draft)

    assert post(ben, draft, bens, headline="Bens Fassung").status_code == 302
    response = post(anna, draft, annas, headline="Annas Fassung", teaser="Annas Vorspann")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Dieser Artikel wurde inzwischen von ben geändert (" in html
    assert "Bitte korrigieren Sie" not in html  # not Django's generic error note
    assert 'value="Annas Fassung"' in html  # her text is still in the form
    assert "Annas Vorspann" in html
    conflict = response.context["adminform"].form.conflict
    fields = {f.name: (f.theirs, f.mine) for f in conflict.fields}
    assert fields["headline"] == ("Bens Fassung", "Annas Fassung")
    draft.refresh_from_db()
    assert draft.headline == "Bens Fassung"  # nothing silently overwritten


def test_saving_again_after_seeing_the_diff_replaces_knowingly(two_editors, draft):
    anna, ben = two_editors
    annas, bens = opened_version(anna, draft), opened_version(ben, draft)
    post(ben, draft, bens, headline="Bens Fassung")
    refused = post(anna, draft, annas, headline="Annas Fassung")

    version_now = refused.context["adminform"].form["loaded_version"].value()
    again = post(anna, draft, version_now, headline="Annas Fassung")

    assert again.status_code == 302
    draft.refresh_from_db()
    assert draft.headline == "Annas Fassung"
    assert [r.user.username for r in draft.revisions.order_by("number")[1:]] == ["ben", "anna"]


def test_an_unchanged_article_saves_without_a_word(two_editors, draft):
    anna, _ = two_editors

    response = post(anna, draft, opened_version(anna, draft), headline="Annas Fassung")

    assert response.status_code == 302
