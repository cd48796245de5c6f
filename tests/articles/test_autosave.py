"""Issue 24, point 1 on the server: nothing typed is lost.

Autosaves of the article form, per editor and article, that never make a
version or a revision; a real save removes them; old ones are purged. The
preview of the form as it is now renders without saving.
"""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from articles import tasks
from articles.admin.autosave import RATE
from articles.autosave import KEEP_DAYS, Autosave
from articles.models import Article, Revision
from articles.revisions import save_revision
from portal.lib import tasks as task_clock
from tests.conftest import logged_in, make_staff
from tests.factories import article_form, make_article, make_section

pytestmark = pytest.mark.django_db

URL = "/admin/articles/article/zwischenstand/"
PREVIEW = "/admin/articles/article/vorschau-aktuell/"
KEY = "0123456789abcdef0123456789abcdef"
SENTENCE = "Der Landtag berät den Entwurf am Donnerstag."


@pytest.fixture
def politik():
    return make_section("Politik", slug="politik")


@pytest.fixture
def draft(politik):
    article = make_article(section=politik, status=Article.Status.DRAFT, headline="Ausgangstext")
    save_revision(article, comment="Angelegt")
    return article


@pytest.fixture
def colleague(django_user_model):
    return make_staff(django_user_model, "kollege", "Redaktion")


def typed(headline="Neue Überschrift", body=f"<p>{SENTENCE}</p>", **more):
    """The form's fields as autosave.js sends them."""
    fields = [["headline", headline], ["body", body], *[[k, v] for k, v in more.items()]]
    return json.dumps({"fields": fields, "labels": {"section": {"1": "Politik"}}})


def autosave(client, article=None, key="", data=None, **extra):
    return client.post(
        URL,
        {
            "aktion": "sichern",
            "artikel": article.pk if article else "",
            "key": key,
            "version": article.version if article else "",
            "data": data if data is not None else typed(),
            **extra,
        },
    )


def read(client, article=None):
    query = {"artikel": article.pk} if article else {"neu": "1"}
    return client.get(URL, query).json()["autosave"]


def fields_of(answer):
    return dict(map(tuple, answer["data"]["fields"]))


def test_point_1_autosave_is_kept_per_editor_and_article(editor_client, editor, draft, politik):
    other = make_article(section=politik, status=Article.Status.DRAFT)

    assert autosave(editor_client, draft, data=typed("Erster Stand")).status_code == 200
    response = autosave(editor_client, draft, data=typed("Zweiter Stand"))
    autosave(editor_client, other, data=typed("Anderer Artikel"))

    assert response.status_code == 200
    assert "saved_at_text" in response.json()
    assert Autosave.objects.filter(user=editor).count() == 2
    mine = read(editor_client, draft)
    assert fields_of(mine)["headline"] == "Zweiter Stand"
    assert fields_of(mine)["body"] == f"<p>{SENTENCE}</p>"
    assert mine["version"] == draft.version
    assert fields_of(read(editor_client, other))["headline"] == "Anderer Artikel"


def test_point_1_a_new_article_is_autosaved_by_its_forms_key(editor_client, editor):
    response = autosave(editor_client, key=KEY, data=typed("Noch ohne Bereich"))

    assert response.status_code == 200
    offered = read(editor_client)
    assert offered["key"] == KEY
    assert fields_of(offered)["headline"] == "Noch ohne Bereich"
    assert autosave(editor_client, key="../nicht-hex").status_code == 400


def test_point_1_another_editor_can_neither_read_nor_overwrite_my_autosave(
    editor_client, draft, colleague
):
    autosave(editor_client, draft, data=typed("Meine Fassung"))
    theirs = logged_in(colleague)

    assert read(theirs, draft) is None
    assert read(theirs) is None  # nor my new articles
    assert autosave(theirs, draft, data=typed("Seine Fassung")).status_code == 200
    theirs.post(URL, {"aktion": "verwerfen", "artikel": draft.pk})

    assert fields_of(read(editor_client, draft))["headline"] == "Meine Fassung"


def test_point_1_readers_and_staff_without_the_right_are_refused(
    client, ad_sales, editor_client, politik
):
    published = make_article(section=politik, headline="Schon erschienen")

    anonymous = autosave(client, published)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/admin/login/")
    assert client.get(URL, {"artikel": published.pk}).status_code == 302
    sales = logged_in(ad_sales)
    refused = autosave(sales, published)
    assert refused.status_code == 403
    assert refused.json()["error"] == "Sie dürfen diesen Artikel nicht ändern."
    assert sales.get(URL, {"artikel": published.pk}).status_code == 403
    assert autosave(sales, key=KEY).status_code == 403
    assert not Autosave.objects.exists()
    # The Redaktion may propose a change to a published article (its draft of a change,
    # articles.review): what it types there is kept like any other.
    assert autosave(editor_client, published).status_code == 200


def test_point_1_autosave_needs_the_csrf_token(editor, draft):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)

    assert autosave(browser, draft).status_code == 403
    assert not Autosave.objects.exists()


def test_point_1_autosave_makes_no_version_and_no_revision(editor_client, draft):
    before = Article.objects.get(pk=draft.pk)
    revisions = Revision.objects.filter(article=draft).count()

    for n in range(3):
        autosave(editor_client, draft, data=typed(f"Stand {n}"))

    after = Article.objects.get(pk=draft.pk)
    assert Revision.objects.filter(article=draft).count() == revisions
    assert (after.version, after.updated_at, after.headline) == (
        before.version,
        before.updated_at,
        "Ausgangstext",
    )
    page = editor_client.get(f"/admin/articles/article/{draft.pk}/versionen/")
    assert "Stand 2" not in page.content.decode()


def test_point_1_a_real_save_removes_my_autosave_not_my_colleagues(
    editor_client, editor, draft, colleague
):
    autosave(editor_client, draft)
    autosave(logged_in(colleague), draft)
    data = article_form(draft.section, loaded_version=str(draft.version), _continue="1")
    data.update({"links-TOTAL_FORMS": "0", "headline": "Gespeichert"})

    response = editor_client.post(f"/admin/articles/article/{draft.pk}/change/", data)

    assert response.status_code == 302
    assert not Autosave.objects.filter(user=editor).exists()
    assert Autosave.objects.filter(user=colleague, article=draft).exists()
    assert read(editor_client, draft) is None


def test_point_1_saving_a_new_article_removes_the_autosave_of_its_form(
    editor_client, editor, politik
):
    autosave(editor_client, key=KEY)
    autosave(editor_client, key="f" * 32)  # another new article, in another tab
    data = article_form(politik, autosave_key=KEY, headline="Neu und gespeichert")
    data["links-TOTAL_FORMS"] = "0"

    response = editor_client.post("/admin/articles/article/add/", data)

    assert response.status_code == 302
    assert Article.objects.filter(headline="Neu und gespeichert").exists()
    assert list(Autosave.objects.values_list("key", flat=True)) == ["f" * 32]


def test_point_1_a_failed_save_keeps_the_autosave(editor_client, editor, draft):
    autosave(editor_client, draft)
    data = article_form(draft.section, loaded_version=str(draft.version), headline="")
    data["links-TOTAL_FORMS"] = "0"

    response = editor_client.post(f"/admin/articles/article/{draft.pk}/change/", data)

    assert response.status_code == 200  # the form again, with its error
    assert "data-unsaved" in response.content.decode()  # autosaved at once by the page
    assert Autosave.objects.filter(user=editor, article=draft).exists()


def test_point_1_the_offer_says_when_someone_saved_since(editor_client, draft, colleague):
    autosave(editor_client, draft)
    data = article_form(draft.section, loaded_version=str(draft.version), headline="Von ihm")
    data["links-TOTAL_FORMS"] = "0"
    colleague.first_name, colleague.last_name = "Karl", "Kollege"
    colleague.save()
    logged_in(colleague).post(f"/admin/articles/article/{draft.pk}/change/", data)

    offered = read(editor_client, draft)

    assert offered["version"] == draft.version  # the form's conflict check starts from it
    assert offered["saved_since"]["version"] == draft.version + 1
    assert offered["saved_since"]["by"] == "Karl Kollege"


def test_point_1_discarding_forgets_the_autosave(editor_client, draft):
    autosave(editor_client, draft)

    response = editor_client.post(URL, {"aktion": "verwerfen", "artikel": draft.pk})

    assert response.status_code == 200
    assert read(editor_client, draft) is None


@pytest.mark.parametrize(
    "data, status",
    [
        ("kein JSON", 400),
        (json.dumps({"fields": [["headline", 7]]}), 400),
        (json.dumps([1, 2]), 400),
        (typed(body="<p>" + "x" * 600_000 + "</p>"), 413),
    ],
)
def test_point_1_autosave_refuses_what_is_not_a_form(editor_client, draft, data, status):
    response = autosave(editor_client, draft, data=data)

    assert response.status_code == status
    assert response.json()["error"]
    assert not Autosave.objects.exists()


def test_point_1_autosave_is_rate_limited_per_editor(editor_client, draft):
    limit, _seconds = RATE
    for _ in range(limit):
        assert autosave(editor_client, draft).status_code == 200

    response = autosave(editor_client, draft)

    assert response.status_code == 429
    assert "bitte kurz warten" in response.json()["error"]


def test_point_1_old_autosaves_are_purged(editor, draft, politik):
    fresh = Autosave.store(editor, {"fields": []}, article=draft)
    old = Autosave.store(editor, {"fields": []}, key=KEY)
    Autosave.objects.filter(pk=old.pk).update(
        saved_at=timezone.now() - datetime.timedelta(days=KEEP_DAYS, hours=1)
    )

    assert tasks.purge_autosaves.call() == 1

    assert list(Autosave.objects.all()) == [fresh]
    assert task_clock.SCHEDULE[tasks.purge_autosaves.module_path][1] == datetime.timedelta(days=1)


def test_point_1_the_form_autosaves_and_previews_what_it_holds(editor_client, draft):
    html = editor_client.get(f"/admin/articles/article/{draft.pk}/change/").content.decode()

    assert 'id="autosave"' in html and f'data-article="{draft.pk}"' in html
    assert "js/autosave.js" in html
    assert f'data-window="vorschau-artikel-{draft.pk}"' in html
    # The shareable preview of the saved state stays.
    assert f'href="/admin/articles/article/{draft.pk}/vorschau/">Vorschau-Link teilen' in html


def test_point_1_preview_shows_the_unsaved_state_and_saves_nothing(editor_client, draft):
    data = article_form(
        draft.section,
        loaded_version=str(draft.version),
        headline="Ungespeicherte Überschrift",
        body=f"<p>{SENTENCE}</p><script>alert(1)</script>",
        tags="Politik, Ganz neues Stichwort",
    )

    response = editor_client.post(f"{PREVIEW}?artikel={draft.pk}", data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ungespeicherte Überschrift" in html and SENTENCE in html
    assert "<script>alert(1)" not in html  # sanitized as a save would
    assert "Ganz neues Stichwort" in html
    assert "Gespeichert ist davon noch nichts." in html
    assert f'href="/admin/articles/article/{draft.pk}/change/" data-preview-back' in html
    assert "no-store" in response["Cache-Control"]
    draft.refresh_from_db()
    assert draft.headline == "Ausgangstext"
    assert not draft.tags.filter(name="Ganz neues Stichwort").exists()
    assert Revision.objects.filter(article=draft).count() == 1


def test_point_1_preview_names_what_the_form_would_refuse(editor_client, draft):
    data = article_form(draft.section, teaser="", body=f"<p>{SENTENCE}</p>")

    html = editor_client.post(f"{PREVIEW}?artikel={draft.pk}", data).content.decode()

    assert SENTENCE in html
    assert "Nicht übernommen" in html and "Vorspann" in html
    assert draft.teaser in html  # the saved teaser stands in


def test_point_1_preview_of_a_new_article(editor_client, politik):
    data = article_form(politik, headline="Ganz neu", body=f"<p>{SENTENCE}</p>")

    response = editor_client.post(PREVIEW, data)

    assert response.status_code == 200
    assert SENTENCE in response.content.decode()
    assert not Article.objects.exists()
    missing = editor_client.post(PREVIEW, {**data, "section": ""}).content.decode()
    assert "Für die Vorschau fehlt noch der Bereich" in missing


def test_point_1_preview_is_for_those_who_may_edit(
    client, ad_sales, editor_client, draft, politik
):
    data = article_form(draft.section)
    published = make_article(section=politik)

    assert client.post(f"{PREVIEW}?artikel={draft.pk}", data).status_code == 302
    assert logged_in(ad_sales).post(f"{PREVIEW}?artikel={draft.pk}", data).status_code == 403
    # A proposed change to a published article: the Redaktion previews it too.
    assert editor_client.post(f"{PREVIEW}?artikel={published.pk}", data).status_code == 200
    assert editor_client.get(f"{PREVIEW}?artikel={draft.pk}").status_code == 405


def test_point_1_an_older_autosave_arriving_late_does_not_replace_a_newer(editor_client, draft):
    newer = json.dumps({"fields": [["headline", "Neuer Stand"]], "at": 2_000})
    older = json.dumps({"fields": [["headline", "Alter Stand"]], "at": 1_000})

    autosave(editor_client, draft, data=newer)
    assert autosave(editor_client, draft, data=older).status_code == 200

    assert fields_of(read(editor_client, draft))["headline"] == "Neuer Stand"
