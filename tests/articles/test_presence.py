"""Two editors on one article (issue 24, point 7): who else has it open, conflicts settled
field by field, restore after a look at the old version, revision times with seconds."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from articles import presence
from articles.models import Article
from articles.revisions import save_revision
from tests.conftest import logged_in, make_staff
from tests.factories import article_form, make_article, make_section

pytestmark = pytest.mark.django_db

TAB_A, TAB_B = "tab-aaaa-0001", "tab-bbbb-0002"


def person(django_user_model, username, first, last, group="Redaktion"):
    user = make_staff(django_user_model, username, group)
    user.first_name, user.last_name = first, last
    user.save()
    return user


def browser(user):
    return logged_in(user)


@pytest.fixture
def politik():
    return make_section("Politik", slug="politik")


@pytest.fixture
def draft(politik):
    """A draft whose stored values are those article_form() posts unchanged."""
    article = make_article(
        section=politik,
        status=Article.Status.DRAFT,
        kicker="Sachsen",
        headline="Digitalstrategie überarbeitet",
        teaser="Die Strategie liegt vor.",
        body="<p>Text</p>",
        byline="ba",
        tags=["Politik", "OZG"],
    )
    save_revision(article, comment="Angelegt")
    return article


@pytest.fixture
def anna(django_user_model):
    return person(django_user_model, "anna", "Anna", "Albers")


@pytest.fixture
def maxi(django_user_model):
    return person(django_user_model, "mmueller", "Maximiliane", "Müller")


def here(client, article, tab, **extra):
    return client.post(f"/admin/articles/article/{article.pk}/anwesenheit/", {"tab": tab, **extra})


def hours(moment):
    return date_format(timezone.localtime(moment), "H:i")


# Presence


def test_point_7_an_editor_sees_who_else_has_the_article_open_and_since_when(draft, anna, maxi):
    annas, maxis = browser(anna), browser(maxi)
    assert here(maxis, draft, TAB_B).json() == {"text": ""}  # nobody else yet
    since = timezone.now()

    answer = here(annas, draft, TAB_A)

    expected = f"Auch geöffnet von Maximiliane Müller seit {hours(since)} Uhr"
    assert answer.status_code == 200
    assert answer.json() == {"text": expected}  # the full name, not the login
    form = annas.get(f"/admin/articles/article/{draft.pk}/change/").content.decode()
    assert expected in form  # on the form at once, before the first announcement
    # ... and Maximiliane sees Anna.
    assert here(maxis, draft, TAB_B).json()["text"].startswith("Auch geöffnet von Anna Albers")


def test_point_7_someone_not_heard_from_for_a_minute_is_no_longer_shown(draft, anna, maxi):
    annas, maxis = browser(anna), browser(maxi)
    here(maxis, draft, TAB_B)
    with connection.cursor() as cursor:  # her last announcement 61 seconds ago
        cursor.execute(
            f"UPDATE {presence.TABLE} SET seen_at = now() - interval '61 seconds'"  # noqa: S608
        )

    assert here(annas, draft, TAB_A).json() == {"text": ""}
    assert (
        "Auch geöffnet"
        not in annas.get(f"/admin/articles/article/{draft.pk}/change/").content.decode()
    )


def test_point_7_closing_the_tab_removes_the_note_at_once(draft, anna, maxi):
    annas, maxis = browser(anna), browser(maxi)
    here(maxis, draft, TAB_B)

    assert here(maxis, draft, TAB_B, leave="1").status_code == 204

    assert here(annas, draft, TAB_A).json() == {"text": ""}


def test_point_7_nobody_sees_themselves_even_in_two_tabs(draft, anna):
    annas = browser(anna)
    here(annas, draft, TAB_B)

    assert here(annas, draft, TAB_A).json() == {"text": ""}


def test_point_7_two_others_are_named_together(draft, anna, maxi, django_user_model):
    bernd = person(django_user_model, "bernd", "Bernd", "Brandt")
    here(browser(maxi), draft, TAB_B)
    here(browser(bernd), draft, "tab-cccc-0003")

    text = here(browser(anna), draft, TAB_A).json()["text"]

    assert re.fullmatch(
        r"Auch geöffnet von Maximiliane Müller seit \d\d:\d\d Uhr "
        r"und Bernd Brandt seit \d\d:\d\d Uhr",
        text,
    )


def test_point_7_without_permission_nobody_announces_or_reads_presence(
    draft, maxi, django_user_model
):
    here(browser(maxi), draft, TAB_B)
    ads = browser(make_staff(django_user_model, "anzeigen", "Anzeigen"))

    assert here(ads, draft, TAB_A).status_code == 403  # may not change articles
    assert Client().post(f"/admin/articles/article/{draft.pk}/anwesenheit/").status_code == 302
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {presence.TABLE}")  # noqa: S608
        assert cursor.fetchone() == (1,)  # only Maximiliane's own announcement


def test_point_7_presence_needs_a_post_with_the_csrf_token(draft, maxi):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(maxi)
    url = f"/admin/articles/article/{draft.pk}/anwesenheit/"

    assert strict.get(url).status_code == 405
    assert strict.post(url, {"tab": TAB_B}).status_code == 403
    assert here(browser(maxi), draft, "x").status_code == 400  # no tab name


# Conflicts, field by field


def open_form(client, article):
    """What the opened form carries to its save: its version and each field's fingerprint."""
    response = client.get(f"/admin/articles/article/{article.pk}/change/")
    assert 'name="loaded_fields"' in response.content.decode()  # sent with the form
    form = response.context["adminform"].form
    return {
        "loaded_version": str(form["loaded_version"].value()),
        "loaded_fields": form["loaded_fields"].value(),
    }


def save(client, article, opened, **fields):
    fields.setdefault("slug", article.slug)  # as the form shows it
    data = article_form(article.section, **opened, **fields)
    data.update({"links-INITIAL_FORMS": "0", "links-TOTAL_FORMS": "0"})
    return client.post(f"/admin/articles/article/{article.pk}/change/", data)


def again(client, article, refused, choices=None, **fields):
    """Save once more from the conflict page, with its preselected choices (or others)."""
    html = refused.content.decode()
    chosen = dict(re.findall(r'name="keep-(\w+)" value="(\w+)" required checked', html))
    chosen.update(choices or {})
    opened = {
        "loaded_version": str(refused.context["adminform"].form["loaded_version"].value()),
        "loaded_fields": refused.context["adminform"].form["loaded_fields"].value(),
    }
    keep = {f"keep-{name}": value for name, value in chosen.items()}
    return save(client, article, opened, **keep, **fields)


def test_point_7_different_fields_changed_by_two_keep_both(draft, anna, maxi):
    annas, maxis = browser(anna), browser(maxi)
    annas_form, maxis_form = open_form(annas, draft), open_form(maxis, draft)
    assert save(maxis, draft, maxis_form, teaser="Maxis Vorspann").status_code == 302

    refused = save(annas, draft, annas_form, headline="Annas Überschrift")

    assert refused.status_code == 200
    conflict = refused.context["adminform"].form.conflict
    assert {f.name: f.choice for f in conflict.fields} == {"headline": "mine", "teaser": "theirs"}
    draft.refresh_from_db()
    assert draft.headline == "Digitalstrategie überarbeitet"  # nothing saved yet

    saved = again(annas, draft, refused, headline="Annas Überschrift")

    assert saved.status_code == 302
    draft.refresh_from_db()
    assert (draft.headline, draft.teaser) == ("Annas Überschrift", "Maxis Vorspann")


@pytest.mark.parametrize(
    ("choice", "kept"), [("mine", "Annas Überschrift"), ("theirs", "Maxis Überschrift")]
)
def test_point_7_the_same_field_changed_by_two_is_decided_by_the_choice(
    draft, anna, maxi, choice, kept
):
    annas, maxis = browser(anna), browser(maxi)
    annas_form, maxis_form = open_form(annas, draft), open_form(maxis, draft)
    save(maxis, draft, maxis_form, headline="Maxis Überschrift", teaser="Maxis Vorspann")
    refused = save(annas, draft, annas_form, headline="Annas Überschrift")
    html = refused.content.decode()
    assert 'name="keep-headline" value="mine" required>' in html  # neither preselected
    assert 'name="keep-headline" value="theirs" required>' in html
    assert "Die von Maximiliane Müller behalten" in html

    unchosen = again(annas, draft, refused, headline="Annas Überschrift")
    assert unchosen.status_code == 200  # saving without a choice saves nothing
    assert "Bitte wählen Sie bei jedem Feld, das Sie beide geändert haben" in (
        unchosen.content.decode()
    )

    saved = again(annas, draft, unchosen, {"headline": choice}, headline="Annas Überschrift")

    assert saved.status_code == 302
    draft.refresh_from_db()
    assert (draft.headline, draft.teaser) == (kept, "Maxis Vorspann")


def test_point_7_the_conflict_is_headed_with_who_and_when_not_a_generic_error(draft, anna, maxi):
    annas, maxis = browser(anna), browser(maxi)
    annas_form, maxis_form = open_form(annas, draft), open_form(maxis, draft)
    save(maxis, draft, maxis_form, body="<p>Text von Maxi.</p>")
    saved_at = draft.revisions.first().created_at

    html = save(annas, draft, annas_form, body="<p>Text von Anna.</p>").content.decode()

    when = date_format(timezone.localtime(saved_at), "j.n.Y, H:i:s")
    assert f"Dieser Artikel wurde inzwischen von Maximiliane Müller geändert ({when} Uhr)" in html
    assert "Bitte korrigieren Sie" not in html
    assert "Text von <del>Maxi.</del> <ins>Anna.</ins>" in html  # the body as a readable diff
    assert "Meine übernehmen" in html


def test_point_7_a_save_without_anyone_between_is_not_stopped(draft, anna):
    annas = browser(anna)

    response = save(annas, draft, open_form(annas, draft), headline="Neu")

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.headline == "Neu"
    assert draft.revisions.first().comment == "Geändert: Überschrift"


# Restore, and times with seconds


@pytest.fixture
def chief_browser(django_user_model):
    return browser(person(django_user_model, "chefin", "Clara", "Chef", "Chefredaktion"))


def test_point_7_restore_asks_first_and_shows_the_old_version(chief_browser, draft):
    Article.objects.filter(pk=draft.pk).update(headline="Digitalstrategie verworfen")
    draft.refresh_from_db()
    save_revision(draft, comment="Geändert: Überschrift")
    url = f"/admin/articles/article/{draft.pk}/versionen/1/wiederherstellen/"

    page = chief_browser.get(url)

    html = page.content.decode()
    assert page.status_code == 200
    assert "Version 1 wiederherstellen?" in html
    assert '<h3 class="restore__headline">Digitalstrategie überarbeitet</h3>' in html
    assert (
        "Digitalstrategie <del>verworfen</del> <ins>überarbeitet</ins>" in html
    )  # against today's
    assert re.search(r'<form method="post" class="restore__confirm">\s*<input type="hidden"', html)
    draft.refresh_from_db()
    assert draft.headline == "Digitalstrategie verworfen"  # a look changes nothing
    assert draft.revisions.count() == 2

    assert chief_browser.post(url).status_code == 302

    draft.refresh_from_db()
    assert draft.headline == "Digitalstrategie überarbeitet"
    first, latest = draft.revisions.last(), draft.revisions.first()
    when = date_format(timezone.localtime(first.created_at), "j.n.Y, H:i:s")
    assert latest.number == 3
    assert latest.comment == f"Wiederhergestellt aus Version 1 vom {when} Uhr"


def test_point_7_restore_is_not_offered_to_who_may_not_change_the_article(
    politik, django_user_model
):
    published = make_article(section=politik, headline="Online")
    save_revision(published, comment="Angelegt")
    ads = browser(make_staff(django_user_model, "anzeigen", "Anzeigen"))

    response = ads.get(f"/admin/articles/article/{published.pk}/versionen/1/wiederherstellen/")

    assert response.status_code == 403


def test_point_7_revision_times_show_seconds(chief_browser, draft):
    revision = draft.revisions.first()

    html = chief_browser.get(f"/admin/articles/article/{draft.pk}/versionen/").content.decode()

    when = date_format(timezone.localtime(revision.created_at), "j.n.Y, H:i:s")
    assert re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}, \d\d:\d\d:\d\d", when)
    assert f"<td>{when} Uhr</td>" in html
