"""The editor's desk (issue 24): the article list, the form's first fields and words, and
what the list actions say about scheduled articles."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.revisions import save_revision
from portal.lib.images import make_renditions
from tests.factories import article_form, make_article, make_image, make_section

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/article/"


@pytest.fixture
def politik():
    return make_section("Politik", slug="politik")


def in_future(**delta):
    return timezone.now() + datetime.timedelta(**delta)


def headlines(html):
    return re.findall(r'<span class="desk-headline">([^<]*)</span>', html)


def test_point_6_the_geplant_filter_lists_only_scheduled_articles(editor_client, politik):
    make_article(section=politik, headline="Schon online")
    make_article(section=politik, headline="Kommt morgen", publish_at=in_future(days=1))
    make_article(section=politik, headline="Noch ein Entwurf", status=Article.Status.DRAFT)

    scheduled = editor_client.get(CHANGELIST + "?status=scheduled").content.decode()
    published = editor_client.get(CHANGELIST + "?status=published").content.decode()
    everything = editor_client.get(CHANGELIST).content.decode()

    assert headlines(scheduled) == ["Kommt morgen"]
    assert headlines(published) == ["Schon online"]
    assert 'href="?status=scheduled"' in everything and ">Geplant</a>" in everything
    assert '<span class="status status--scheduled">Geplant</span>' in everything


def test_point_6_the_list_shows_the_authors_name_and_who_changed_it_last(
    editor_client, editor, chief, politik
):
    editor.first_name, editor.last_name = "Birgit", "Albers"
    editor.save()
    article = make_article(section=politik, headline="Mit Namen", author=editor)
    save_revision(article, chief, "Geändert: Überschrift")
    nameless = make_article(section=politik, headline="Ohne Namen", author=chief)

    html = editor_client.get(CHANGELIST).content.decode()

    row = html[html.index("Mit Namen") :][:3000]
    assert "Birgit Albers" in row and "redakteurin" not in row
    changed = timezone.localtime(article.updated_at)
    assert changed.strftime("%d.%m.%Y") in row and "von chefin" in row
    other = html[html.index("Ohne Namen") :][:3000]
    assert "chefin" in other  # no full name: the login name
    assert nameless.pk


def test_point_6_the_list_shows_publication_time_section_and_a_thumbnail(editor_client, politik):
    picture = make_image(alt_text="Landtag")
    make_renditions(picture)
    make_article(
        section=politik,
        kind=Article.Kind.REPORT,
        headline="Mit Bild",
        lead_image=picture,
        publish_at=datetime.datetime(2026, 3, 2, 9, 5, tzinfo=datetime.UTC),
    )

    html = editor_client.get(CHANGELIST).content.decode()

    row = html[html.index("Mit Bild") - 600 :][:2500]
    assert '<time datetime="2026-03-02T10:05+01:00">02.03.2026' in row  # Berlin time
    assert "Politik" in row and "Bericht" in row
    thumb = re.search(r'<img class="desk-thumb" src="([^"]+)"', row).group(1)
    assert thumb.endswith(picture.renditions["fallback"][0][1].rsplit("/", 1)[-1])


@pytest.mark.parametrize("count", [3, 30])
def test_point_6_the_list_costs_the_same_queries_for_any_number_of_rows(
    editor_client, editor, politik, django_assert_max_num_queries, count
):
    picture = make_image()
    make_renditions(picture)
    for _ in range(count):
        article = make_article(section=politik, author=editor, lead_image=picture)
        save_revision(article, editor, "Angelegt")

    with django_assert_max_num_queries(10):
        assert editor_client.get(CHANGELIST).status_code == 200


def test_point_6_the_headline_is_the_first_field_with_a_character_count(editor_client, politik):
    article = make_article(section=politik, status=Article.Status.DRAFT, headline="Kurz")

    html = editor_client.get(f"{CHANGELIST}{article.pk}/change/").content.decode()

    fields = re.findall(r'<(?:input|select|textarea)[^>]*\bname="(\w+)"', html)
    visible = [f for f in fields if f not in ("csrfmiddlewaretoken",)]
    assert visible[0] == "headline"
    assert visible.index("headline") < visible.index("kicker") < visible.index("section")
    assert 'class="vTextField desk-headline-input"' in html
    assert re.search(r'id="id_headline_count"[^>]*>4 von 200 Zeichen<', html)
    assert 'aria-describedby="id_headline_count"' in html


@pytest.mark.parametrize(
    "path",
    [
        CHANGELIST,
        CHANGELIST + "add/",
        "/admin/articles/image/",
        "/static/js/editor-de.js",
    ],
)
def test_point_6_the_article_pages_speak_german(editor_client, politik, path):
    make_image()
    make_article(section=politik, status=Article.Status.DRAFT)

    html = editor_client.get(path)
    text = b"".join(html.streaming_content) if html.streaming else html.content
    text = text.decode()

    if path.endswith(".js"):
        # The block menu's sample texts are put into German when the editor draws them.
        assert '"Heading 2": "Zwischenüberschrift"' in text and '"Paragraph": "Absatz"' in text
        return
    for english in ("Heading 2", "WIDTH", "HEIGHT", ">Width<", ">Height<", 'alt="Search"'):
        assert english not in text
    assert "Loaded version" not in text


def test_point_6_the_picture_list_names_width_and_height_in_german(editor_client):
    make_image()

    html = editor_client.get("/admin/articles/image/").content.decode()

    assert ">Breite<" in html and ">Höhe<" in html


def test_point_6_the_publication_time_is_kept_to_the_minute(chief_client, politik):
    data = article_form(politik, status="published")
    data.update({"publish_at_0": "24.12.2030", "publish_at_1": "10:30:45"})

    chief_client.post(CHANGELIST + "add/", data)

    stored = timezone.localtime(Article.objects.get().publish_at)
    assert (stored.hour, stored.minute, stored.second) == (10, 30, 0)


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def act(client, action, *articles):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [str(a.pk) for a in articles]},
        follow=True,
    )


def test_point_3_publishing_a_scheduled_article_says_it_stays_scheduled(chief_client, politik):
    when = timezone.make_aware(datetime.datetime(2030, 12, 24, 10, 30))
    scheduled = make_article(section=politik, headline="Sperrfrist", publish_at=when)
    draft = make_article(section=politik, headline="Fertig", status=Article.Status.REVIEW)
    version = scheduled.version

    response = act(chief_client, "publish_selected", scheduled, draft)

    said = messages_of(response)
    assert said[0] == "1 Artikel veröffentlicht."
    assert "„Sachsen: Sperrfrist“ ist geplant für 24.12.2030, 10:30 Uhr" in said[1]
    assert not any("2 Artikel veröffentlicht" in m for m in said)
    scheduled.refresh_from_db()
    assert scheduled.is_scheduled and scheduled.publish_at == when
    assert scheduled.version == version  # untouched: no new version for anyone's open form
    draft.refresh_from_db()
    assert draft.is_visible


def test_point_3_a_draft_with_a_future_time_is_reported_as_scheduled(chief_client, politik):
    draft = make_article(
        section=politik,
        status=Article.Status.REVIEW,
        publish_at=timezone.make_aware(datetime.datetime(2030, 1, 2, 8, 0)),
    )

    said = messages_of(act(chief_client, "publish_selected", draft))

    assert said == [
        f"„Sachsen: {draft.headline}“ ist geplant für 02.01.2030, 08:00 Uhr und erscheint "
        "dann von selbst. Sofort erscheint er mit „Ausgewählte Artikel sofort "
        "veröffentlichen, auch geplante“."
    ]
    assert [r.comment for r in draft.revisions.order_by("number")][-1] == (
        "Geplant für 02.01.2030, 08:00 Uhr"
    )


def test_point_3_publishing_now_brings_a_scheduled_article_forward(chief_client, politik, client):
    scheduled = make_article(section=politik, publish_at=in_future(days=3))

    said = messages_of(act(chief_client, "publish_now_selected", scheduled))

    assert said == ["1 Artikel veröffentlicht."]
    scheduled.refresh_from_db()
    assert scheduled.is_visible and scheduled.publish_at.second == 0
    assert client.get(scheduled.get_absolute_url()).status_code == 200


def test_point_3_taking_back_a_scheduled_article_says_it_will_not_appear(chief_client, politik):
    scheduled = make_article(
        section=politik, publish_at=timezone.make_aware(datetime.datetime(2030, 5, 1, 6, 0))
    )

    said = messages_of(act(chief_client, "unpublish_selected", scheduled))

    assert said[0] == "1 Artikel zurückgezogen."
    assert "war geplant für 01.05.2030, 06:00 Uhr und erscheint nun nicht" in said[1]
    scheduled.refresh_from_db()
    assert scheduled.status == Article.Status.UNPUBLISHED


def test_point_3_publishing_without_a_time_publishes_at_this_minute(chief_client, politik):
    draft = make_article(section=politik, status=Article.Status.REVIEW)

    act(chief_client, "publish_selected", draft)

    draft.refresh_from_db()
    assert draft.is_visible and (draft.publish_at.second, draft.publish_at.microsecond) == (0, 0)


def test_point_6_the_changelist_query_reads_no_revision_per_row(editor_client, editor, politik):
    for _ in range(5):
        save_revision(make_article(section=politik), editor, "Angelegt")

    with CaptureQueriesContext(connection) as queries:
        editor_client.get(CHANGELIST)

    revision_reads = [q for q in queries.captured_queries if '"articles_revision"' in q["sql"]]
    assert len(revision_reads) == 1
