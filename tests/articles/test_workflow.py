"""Draft -> in review -> published (or taken back), with the rules enforced on the server."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article
from tests.factories import article_form, make_article, make_section

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/article/"


@pytest.fixture
def politik():
    return make_section("Politik", slug="politik")


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def test_the_groups_exist_with_their_powers():
    def codenames(name):
        return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))

    assert {"add_article", "change_article"} <= codenames("Redaktion")
    assert not {"publish_article", "delete_article"} & codenames("Redaktion")
    assert {"publish_article", "delete_article", "change_article"} <= codenames("Chefredaktion")
    assert Group.objects.filter(name__in=["Anzeigen", "Aboverwaltung"]).count() == 2


def test_redaktion_submits_for_review(editor_client, politik):
    response = editor_client.post(
        "/admin/articles/article/add/", article_form(politik, status="review")
    )

    assert response.status_code == 302
    assert Article.objects.get().status == Article.Status.REVIEW


def test_redaktion_is_not_offered_publishing(editor_client):
    html = editor_client.get("/admin/articles/article/add/").content.decode()

    assert 'name="_workflow" value="submit"' in html
    assert 'value="publish"' not in html
    assert 'value="unpublish"' not in html
    assert '<option value="published"' not in html  # no status select to choose from


@pytest.mark.parametrize("status", ["published", "unpublished"])
def test_a_forged_publish_by_redaktion_is_refused(editor_client, politik, status, client):
    response = editor_client.post(
        "/admin/articles/article/add/", article_form(politik, status=status)
    )

    assert response.status_code == 200
    assert "darf nur die Chefredaktion" in response.content.decode()
    assert not Article.objects.exists()


def test_a_forged_publish_of_an_existing_draft_is_refused(editor_client, politik):
    draft = make_article(section=politik, status=Article.Status.DRAFT, headline="Entwurf")

    response = editor_client.post(
        change_url(draft),
        article_form(
            politik, headline="Entwurf", status="published", loaded_version=str(draft.version)
        ),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "darf nur die Chefredaktion" in html
    assert "Inzwischen geändert" not in html
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_redaktion_changes_to_a_published_article_wait_as_a_draft(editor_client, politik):
    live = make_article(section=politik, headline="Schon online")

    page = editor_client.get(change_url(live))
    post = editor_client.post(
        change_url(live),
        article_form(politik, headline="Umgeschrieben", loaded_version=str(live.version)),
    )

    assert page.status_code == 200
    assert 'value="publish"' not in page.content.decode()
    assert post.status_code == 302
    live.refresh_from_db()
    assert live.headline == "Schon online"
    assert live.working_copy.data["headline"] == "Umgeschrieben"


def test_redaktion_may_not_delete(editor_client, politik):
    draft = make_article(section=politik, status=Article.Status.DRAFT)

    response = editor_client.post(f"/admin/articles/article/{draft.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert Article.objects.filter(pk=draft.pk).exists()


def test_chefredaktion_schedules_and_it_appears_by_itself(chief_client, politik, client):
    soon = timezone.localtime() + datetime.timedelta(minutes=5)
    response = chief_client.post(
        "/admin/articles/article/add/",
        article_form(
            politik,
            status="published",
            publish_at_0=soon.strftime("%d.%m.%Y"),
            publish_at_1=soon.strftime("%H:%M:%S"),
        ),
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert client.get(article.get_absolute_url()).status_code == 404

    # Five minutes later, without anyone doing anything but the clock:
    Article.objects.filter(pk=article.pk).update(
        publish_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get(article.get_absolute_url()).status_code == 200


def test_chefredaktion_publishes_and_takes_back_with_actions(chief_client, politik, client):
    drafts = [make_article(section=politik, status=Article.Status.REVIEW) for _ in range(2)]
    ids = [str(a.pk) for a in drafts]

    chief_client.post(CHANGELIST, {"action": "publish_selected", "_selected_action": ids})
    assert all(client.get(a.get_absolute_url()).status_code == 200 for a in drafts)

    chief_client.post(CHANGELIST, {"action": "unpublish_selected", "_selected_action": ids})
    assert all(client.get(a.get_absolute_url()).status_code == 404 for a in drafts)
    assert set(Article.objects.values_list("status", flat=True)) == {"unpublished"}


def test_a_taken_back_article_keeps_its_date_when_published_again(politik):
    article = make_article(section=politik)
    original = article.publish_at

    article.unpublish()
    article.save()
    article.publish()
    article.save()

    assert article.publish_at == original


def test_redaktion_cannot_use_the_publish_action(editor_client, politik):
    draft = make_article(section=politik, status=Article.Status.REVIEW)

    response = editor_client.post(
        CHANGELIST, {"action": "publish_selected", "_selected_action": [str(draft.pk)]}
    )

    assert response.status_code in (200, 302)
    draft.refresh_from_db()
    assert draft.status == Article.Status.REVIEW
    assert "publish_selected" not in editor_client.get(CHANGELIST).content.decode()


def test_ad_sales_staff_do_not_see_articles(client, ad_sales):
    client.force_login(ad_sales)

    assert client.get(CHANGELIST).status_code == 403
