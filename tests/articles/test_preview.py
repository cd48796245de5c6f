"""Editors see a draft as it will appear; a signed link shows it to someone without an account."""

import datetime

import pytest
from django.core import signing
from django.test import Client, override_settings

from articles.models import Article
from articles.views.article import PREVIEW_SALT, preview_token
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    section = make_section("Politik", slug="politik")
    make_article(section=section, headline="Schon erschienen")
    return make_article(
        section=section, status=Article.Status.DRAFT, headline="Noch geheim", tags=["OZG"]
    )


def test_editors_see_the_draft_as_the_public_page_will_look(editor_client, draft):
    response = editor_client.get(f"/admin/articles/article/{draft.pk}/vorschau/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Noch geheim</span>" in html
    assert "Vorschau – dieser Artikel ist nicht öffentlich (Status: Entwurf)" in html
    assert "Weitere Meldungen und Beiträge aus dem Bereich Politik" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_the_preview_page_offers_a_link_that_works_without_an_account(
    editor_client, draft, client
):
    page = editor_client.get(f"/admin/articles/article/{draft.pk}/vorschau/")
    link = page.context["share_link"]
    assert link.startswith("http://testserver/vorschau/")

    response = client.get(link.removeprefix("http://testserver"))

    assert response.status_code == 200
    assert "Noch geheim" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response.cookies == {}


def test_the_link_shows_that_one_draft_and_nothing_else(draft, client):
    other = make_article(status=Article.Status.DRAFT, headline="Anderer Entwurf")
    response = client.get(f"/vorschau/{preview_token(draft)}/")

    html = response.content.decode()
    assert "Noch geheim" in html
    assert "Anderer Entwurf" not in html
    assert client.get(other.get_absolute_url()).status_code == 404


def test_a_link_expires(draft, client):
    token = preview_token(draft)

    with override_settings(PREVIEW_DAYS=0):
        response = client.get(f"/vorschau/{token}/")

    assert response.status_code == 410
    assert "Vorschau abgelaufen" in response.content.decode()


@pytest.mark.parametrize(
    "token",
    [
        "kaputt",
        "1:abc:def",
        signing.dumps(1, salt="something-else"),
    ],
)
def test_a_forged_or_foreign_token_finds_nothing(draft, client, token):
    assert client.get(f"/vorschau/{token}/").status_code == 404


def test_a_token_for_another_article_id_cannot_be_made_by_editing(draft, client):
    token = preview_token(draft)
    forged = (
        signing.dumps(draft.pk + 1, salt=PREVIEW_SALT).split(":")[0] + token[token.index(":") :]
    )

    assert client.get(f"/vorschau/{forged}/").status_code == 404


def test_readers_and_ad_sales_get_no_admin_preview(client, ad_sales, draft):
    assert client.get(f"/admin/articles/article/{draft.pk}/vorschau/").status_code == 302
    client.force_login(ad_sales)
    assert client.get(f"/admin/articles/article/{draft.pk}/vorschau/").status_code == 404


def test_the_list_shows_status_and_where_to_look(chief_client, draft):
    live = Article.objects.get(headline="Schon erschienen")
    scheduled = make_article(
        headline="Morgen",
        publish_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1),
    )

    html = chief_client.get("/admin/articles/article/").content.decode()

    assert '<span class="status status--draft">Entwurf</span>' in html
    assert '<span class="status status--published">Veröffentlicht</span>' in html
    assert '<span class="status status--scheduled">Geplant</span>' in html
    assert (
        f'<a href="{live.get_absolute_url()}" target="_blank" rel="noopener">ansehen</a>' in html
    )
    assert f'href="/admin/articles/article/{scheduled.pk}/vorschau/">Vorschau</a>' in html


def test_the_change_form_links_to_the_site_only_when_live(chief_client, draft):
    live = Article.objects.get(headline="Schon erschienen")

    draft_page = chief_client.get(f"/admin/articles/article/{draft.pk}/change/").content.decode()
    live_page = chief_client.get(f"/admin/articles/article/{live.pk}/change/").content.decode()

    assert "Auf der Website ansehen" not in draft_page
    assert "Vorschau-Link teilen</a>" in draft_page
    assert f'<a href="{live.get_absolute_url()}" class="viewsitelink">' in live_page


def test_a_draft_without_a_time_previews_with_todays_date(editor_client, draft):
    from django.utils import timezone

    Article.objects.filter(pk=draft.pk).update(publish_at=None)

    html = editor_client.get(f"/admin/articles/article/{draft.pk}/vorschau/").content.decode()

    assert f"[{timezone.localdate():%-d.%-m.%Y}]" in html
    draft.refresh_from_db()
    assert draft.publish_at is None


# Point 10 (b) of issue 25: a preview link that reached the wrong people can be revoked.


def shared_link(editor_client, article):
    page = editor_client.get(f"/admin/articles/article/{article.pk}/vorschau/")
    return page.context["share_link"].removeprefix("http://testserver")


def test_preview_links_can_be_revoked_from_the_preview_page(editor_client, draft, client):
    old = shared_link(editor_client, draft)
    version = Article.objects.get(pk=draft.pk).version

    response = editor_client.post(f"/admin/articles/article/{draft.pk}/vorschau/widerrufen/")

    assert response.status_code == 302
    page = editor_client.get(response["Location"])
    assert "Die bisherigen Vorschau-Links gelten nicht mehr" in page.content.decode()
    new = page.context["share_link"].removeprefix("http://testserver")
    assert new != old
    gone = client.get(old)
    assert gone.status_code == 410
    assert "Vorschau-Link widerrufen" in gone.content.decode()
    assert "Noch geheim" not in gone.content.decode()
    assert "Noch geheim" in client.get(new).content.decode()
    assert Article.objects.get(pk=draft.pk).version == version  # no new version, no conflict


def test_the_changelist_action_revokes_the_links_of_the_chosen_articles(
    chief_client, draft, client
):
    other = make_article(status=Article.Status.DRAFT, headline="Anderer Entwurf")
    links = {a.pk: shared_link(chief_client, a) for a in (draft, other)}

    response = chief_client.post(
        "/admin/articles/article/",
        {"action": "revoke_preview_links", "_selected_action": [draft.pk]},
        follow=True,
    )

    assert "Die bisherigen Vorschau-Links von 1 Artikel gelten nicht mehr." in response.text
    assert client.get(links[draft.pk]).status_code == 410
    assert client.get(links[other.pk]).status_code == 200


def test_links_made_before_they_could_be_revoked_work_until_the_first_revocation(
    editor_client, draft, client
):
    old_style = signing.dumps(draft.pk, salt=PREVIEW_SALT, compress=True)
    assert client.get(f"/vorschau/{old_style}/").status_code == 200

    editor_client.post(f"/admin/articles/article/{draft.pk}/vorschau/widerrufen/")

    assert client.get(f"/vorschau/{old_style}/").status_code == 410


@pytest.mark.parametrize("payload", [[1, 0, 0], ["1", 0], [1, True], {"pk": 1}, "1"])
def test_a_signed_token_of_another_shape_finds_nothing(draft, client, payload):
    token = signing.dumps(payload, salt=PREVIEW_SALT)

    assert client.get(f"/vorschau/{token}/").status_code == 404


def test_revoking_needs_a_post_with_its_csrf_token_and_the_right_to_change_articles(
    editor, editor_client, ad_sales, draft, client
):
    url = f"/admin/articles/article/{draft.pk}/vorschau/widerrufen/"
    link = shared_link(editor_client, draft)
    forged = Client(enforce_csrf_checks=True)  # another site's form, in the editor's browser
    forged.force_login(editor)

    assert editor_client.get(url).status_code == 405
    assert forged.post(url).status_code == 403
    assert client.post(url).status_code == 302  # to the login
    client.force_login(ad_sales)
    assert client.post(url).status_code == 404
    assert Client().get(link).status_code == 200  # nothing was revoked
