"""The publishing bar and the review desk (issue 24, points 3 and 4): buttons as the role
allows, notes that travel with a step, the Chefredaktion's queue on the start page, mail
through the outbox, and drafts of published articles that go live only when published."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.core import mail as django_mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Revision
from articles.review import WorkingCopy
from subscriptions.models import OutgoingMail
from tests.articles.test_print_pdf import all_text, pdf_of
from tests.conftest import logged_in, make_staff
from tests.factories import article_form, make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def politik():
    return make_section("Politik", slug="politik")


@pytest.fixture
def people(editor, chief):
    editor.first_name, editor.last_name = "Rita", "Redlich"
    editor.save()
    chief.first_name, chief.last_name = "Clara", "Chef"
    chief.save()
    return editor, chief


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def press(client, article, button, note="", **fields):
    """The bar's button on the article's form, as the browser posts it."""
    data = article_form(
        article.section,
        headline=fields.pop("headline", article.headline),
        status=fields.pop("status", article.status),
        loaded_version=str(article.version),
        _workflow=button,
        desk_note=note,
        **fields,
    )
    return client.post(change_url(article), data)


def buttons(html):
    return re.findall(r'name="_workflow" value="(\w+)"', html)


def texts(html):
    """The page's text, without tags and runs of white space."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# Point 3: the publishing bar


def test_point_3_redaktion_sees_save_and_submit_in_a_sticky_bar_without_status_select(
    editor_client, politik
):
    draft = make_article(section=politik, status=Article.Status.DRAFT)

    html = editor_client.get(change_url(draft)).content.decode()

    assert buttons(html) == ["save", "submit"]
    assert 'class="desk-bar"' in html
    assert '<select name="status"' not in html
    assert '<input type="hidden" name="status" value="draft"' in html
    assert "Die Chefredaktion wird per E-Mail benachrichtigt" in texts(html)


def test_point_3_chefredaktion_publishes_or_returns_what_is_in_review(chief_client, politik):
    submitted = make_article(section=politik, status=Article.Status.REVIEW)
    draft = make_article(section=politik, status=Article.Status.DRAFT)

    in_review = texts(chief_client.get(change_url(submitted)).content.decode())
    on_draft = chief_client.get(change_url(draft)).content.decode()

    assert "Zurück an die Redaktion" in in_review
    assert "Veröffentlichen sofort sichtbar für alle Leser" in in_review
    assert buttons(on_draft) == ["save", "submit", "publish"]


def test_point_3_the_publish_button_says_planen_with_the_day_and_time(chief_client, politik):
    when = timezone.make_aware(datetime.datetime(2031, 12, 24, 10, 30))
    article = make_article(section=politik, status=Article.Status.DRAFT, publish_at=when)

    html = texts(chief_client.get(change_url(article)).content.decode())

    assert "Planen erscheint am 24.12.2031 um 10:30 Uhr" in html


def test_point_3_redaktion_cannot_publish_by_posting_the_button(editor_client, politik):
    draft = make_article(section=politik, status=Article.Status.DRAFT)

    response = press(editor_client, draft, "publish")

    assert response.status_code == 200
    assert (
        "„Veröffentlichen“ steht Ihnen für diesen Artikel nicht zu." in response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


@pytest.mark.parametrize("status", ["published", "unpublished"])
def test_point_3_redaktion_cannot_publish_by_posting_a_status(editor_client, politik, status):
    draft = make_article(section=politik, status=Article.Status.DRAFT)

    response = press(editor_client, draft, "save", status=status)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT  # the button decides, not the posted status


def test_point_3_redaktion_cannot_return_or_take_back(editor_client, politik):
    submitted = make_article(section=politik, status=Article.Status.REVIEW)

    for button in ("return", "unpublish"):
        assert press(editor_client, submitted, button).status_code == 200
    submitted.refresh_from_db()
    assert submitted.status == Article.Status.REVIEW


@pytest.mark.parametrize(
    ("start", "button", "status", "message"),
    [
        ("draft", "save", "draft", "gespeichert."),
        ("draft", "submit", "review", "ist zur Prüfung eingereicht."),
        ("review", "publish", "published", "ist veröffentlicht."),
        ("review", "return", "draft", "ist zurück an die Redaktion."),
        ("published", "unpublish", "unpublished", "ist zurückgezogen."),
    ],
)
def test_point_3_each_button_does_what_its_words_say(
    chief_client, client, politik, start, button, status, message
):
    article = make_article(section=politik, status=start, headline="Knopfdruck")

    response = press(chief_client, article, button)

    assert response.status_code == 302
    assert response["Location"] == change_url(article)
    article.refresh_from_db()
    assert article.status == status
    assert message in texts(chief_client.get(response["Location"]).content.decode())
    visible = client.get(f"/artikel/{article.pk}-{article.slug}/").status_code
    assert visible == (200 if status == "published" else 404)


def test_point_3_planen_schedules_and_the_article_appears_only_then(chief_client, client, politik):
    draft = make_article(section=politik, status=Article.Status.DRAFT)
    when = timezone.localtime() + datetime.timedelta(days=2)

    response = press(
        chief_client,
        draft,
        "publish",
        publish_at_0=when.strftime("%d.%m.%Y"),
        publish_at_1=when.strftime("%H:%M"),
    )

    draft.refresh_from_db()
    assert draft.is_scheduled
    assert "ist geplant und erscheint am" in texts(
        chief_client.get(response["Location"]).content.decode()
    )
    assert client.get(draft.get_absolute_url()).status_code == 404


# Point 4: the review desk


def test_point_4_a_submission_keeps_its_note_with_the_revision_and_mails_the_chefredaktion(
    editor_client, people, politik, django_capture_on_commit_callbacks
):
    editor, chief = people
    draft = make_article(section=politik, status=Article.Status.DRAFT, headline="Neue Strategie")

    with django_capture_on_commit_callbacks(execute=True):
        press(editor_client, draft, "submit", note="Bitte die Zahlen prüfen.")

    revision = draft.revisions.first()
    assert (revision.step, revision.note, revision.user) == (
        "submitted",
        "Bitte die Zahlen prüfen.",
        editor,
    )
    stored = OutgoingMail.objects.get(to=chief.email)
    assert stored.subject == "Zur Prüfung: Sachsen: Neue Strategie"
    assert "Rita Redlich hat den Artikel „Sachsen: Neue Strategie“ zur Prüfung eingereicht." in (
        stored.body_text
    )
    assert "Bitte die Zahlen prüfen." in stored.body_text
    assert f"http://testserver{change_url(draft)}" in stored.body_text
    assert stored.state == OutgoingMail.State.SENT
    (sent,) = django_mail.outbox
    assert sent.to == [chief.email]
    assert "Bitte die Zahlen prüfen." in sent.body


def test_point_4_the_note_is_shown_to_the_other_side_both_ways(
    editor_client, chief_client, people, politik, django_capture_on_commit_callbacks
):
    editor, chief = people
    draft = make_article(section=politik, status=Article.Status.DRAFT)
    press(editor_client, draft, "submit", note="Bitte die Zahlen prüfen.")
    draft.refresh_from_db()

    seen_by_chief = texts(chief_client.get(change_url(draft)).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        press(chief_client, draft, "return", note="Quelle für 2,4 Mio. fehlt.")
    draft.refresh_from_db()
    seen_by_editor = texts(editor_client.get(change_url(draft)).content.decode())

    assert "Zur Prüfung eingereicht von Rita Redlich am" in seen_by_chief
    assert "Bitte die Zahlen prüfen." in seen_by_chief
    assert draft.status == Article.Status.DRAFT
    assert "Zurück an die Redaktion von Clara Chef am" in seen_by_editor
    assert "Quelle für 2,4 Mio. fehlt." in seen_by_editor
    assert draft.revisions.first().note == "Quelle für 2,4 Mio. fehlt."
    history = texts(
        chief_client.get(f"/admin/articles/article/{draft.pk}/versionen/").content.decode()
    )
    assert "Hinweis: Bitte die Zahlen prüfen." in history
    assert "Hinweis: Quelle für 2,4 Mio. fehlt." in history
    returned = OutgoingMail.objects.get(subject__startswith="Zurück an die Redaktion")
    assert returned.to == editor.email
    assert "Quelle für 2,4 Mio. fehlt." in returned.body_text
    assert [m.to for m in django_mail.outbox] == [[editor.email]]


def test_point_4_the_start_page_lists_what_waits_with_who_and_when(
    editor_client, chief_client, people, politik
):
    draft = make_article(section=politik, status=Article.Status.DRAFT, headline="Prüfling")
    press(editor_client, draft, "submit", note="Eilt: Pressetermin 14 Uhr.")
    submitted_at = timezone.localtime(draft.revisions.first().created_at)

    html = texts(chief_client.get("/admin/").content.decode())
    editors_start = texts(editor_client.get("/admin/").content.decode())

    assert "Wartet auf Prüfung (1)" in html
    row = f"Sachsen: Prüfling Rita Redlich {submitted_at:%d.%m.%Y, %H:%M} Uhr Eilt: Pressetermin"
    assert row in html
    assert "Wartet auf Prüfung" not in editors_start


def test_point_4_what_was_sent_back_is_on_the_editors_start_page(
    editor_client, chief_client, people, politik
):
    draft = make_article(section=politik, status=Article.Status.DRAFT, headline="Zurückgekommen")
    press(editor_client, draft, "submit")
    draft.refresh_from_db()
    press(chief_client, draft, "return", note="Bitte kürzen.")

    html = texts(editor_client.get("/admin/").content.decode())

    assert "Zurück an Sie" in html
    assert "Sachsen: Zurückgekommen" in html
    assert "Bitte kürzen." in html
    assert "Nichts wartet auf Prüfung." in texts(chief_client.get("/admin/").content.decode())


def test_point_4_the_start_page_needs_the_same_queries_for_many_waiting(
    chief_client, editor, politik, django_assert_max_num_queries
):
    def submit(n):
        for _ in range(n):
            article = make_article(section=politik, status=Article.Status.DRAFT)
            Revision.objects.create(
                article=article, number=1, user=editor, step="submitted", note="Bitte", data={}
            )
            Article.objects.filter(pk=article.pk).update(status=Article.Status.REVIEW)
            live = make_article(section=politik)
            WorkingCopy.objects.create(
                article=live, data={}, base_version=1, status="review",
                step="submitted", step_by=editor, step_at=timezone.now(),
            )  # fmt: skip

    submit(1)
    chief_client.get("/admin/")  # sessions and permissions read once
    with CaptureQueriesContext(connection) as few:
        chief_client.get("/admin/")
    submit(5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = chief_client.get("/admin/").content.decode()
    assert "Warten auf Prüfung (12)" in html


def test_point_4_a_correction_to_a_live_article_goes_live_only_when_published(
    chief_client, client, politik
):
    live = make_article(section=politik, headline="Digitalstrategie", body="<p>Alte Zahl 12.</p>")
    page = live.get_absolute_url()

    response = press(
        chief_client, live, "save", body="<p>Neue Zahl 13.</p>", headline="Korrigiert"
    )

    assert response.status_code == 302
    live.refresh_from_db()
    assert (live.headline, live.body) == ("Digitalstrategie", "<p>Alte Zahl 12.</p>")
    assert "Alte Zahl 12." in client.get(page).content.decode()
    assert "Digitalstrategie" in client.get("/feed/rss/").content.decode()
    assert "Korrigiert" not in client.get("/feed/rss/").content.decode()
    assert "Alte Zahl 12." in all_text(pdf_of(client.get(live.get_pdf_url())))
    preview = chief_client.get(f"/admin/articles/article/{live.pk}/vorschau/").content.decode()
    assert "Neue Zahl 13." in preview and "Alte Zahl 12." not in preview
    assert "Leser sehen weiter die veröffentlichte Fassung" in preview
    form = chief_client.get(change_url(live)).content.decode()
    assert 'value="Korrigiert"' in form  # the form goes on with the draft

    press(chief_client, live, "publish", body="<p>Neue Zahl 13.</p>", headline="Korrigiert")

    live.refresh_from_db()
    assert (live.headline, live.status) == ("Korrigiert", Article.Status.PUBLISHED)
    assert not WorkingCopy.objects.exists()
    assert "Neue Zahl 13." in client.get(live.get_absolute_url()).content.decode()
    assert "Korrigiert" in client.get("/feed/rss/").content.decode()
    assert "Neue Zahl 13." in all_text(pdf_of(client.get(live.get_pdf_url())))


def test_point_4_redaktion_proposes_a_change_to_a_published_article(
    editor_client, chief_client, client, people, politik, django_capture_on_commit_callbacks
):
    editor, chief = people
    live = make_article(section=politik, headline="Online", tags=["OZG"])

    with django_capture_on_commit_callbacks(execute=True):
        press(editor_client, live, "submit", note="Tippfehler im Titel", headline="Online-Dienste",
              tags="OZG, Sachsen")  # fmt: skip
    queue = texts(chief_client.get("/admin/").content.decode())
    live.refresh_from_db()
    copy = live.working_copy

    assert live.headline == "Online"
    assert (copy.status, copy.note, copy.submitted_by) == ("review", "Tippfehler im Titel", editor)
    assert "Sachsen: Online Änderung am veröffentlichten Artikel Rita Redlich" in queue
    assert OutgoingMail.objects.get().to == chief.email
    assert "die Änderung am veröffentlichten Artikel" in OutgoingMail.objects.get().body_text

    with django_capture_on_commit_callbacks(execute=True):
        press(chief_client, live, "publish", headline="Online-Dienste", tags="OZG, Sachsen")

    live.refresh_from_db()
    assert live.headline == "Online-Dienste"
    assert [t.name for t in live.ordered_tags] == ["OZG", "Sachsen"]
    assert live.revisions.first().note == "Tippfehler im Titel"
    assert "Online-Dienste" in client.get(live.get_absolute_url()).content.decode()
    told = OutgoingMail.objects.get(to=editor.email)
    assert told.subject == "Veröffentlicht: Sachsen: Online-Dienste"


def test_point_4_a_draft_of_a_change_can_be_discarded(chief_client, client, politik):
    live = make_article(section=politik, headline="Bleibt")
    press(chief_client, live, "save", headline="Verworfen")

    response = chief_client.post(f"/admin/articles/article/{live.pk}/entwurf-verwerfen/")

    assert response.status_code == 302
    assert not WorkingCopy.objects.exists()
    assert 'value="Bleibt"' in chief_client.get(change_url(live)).content.decode()


def test_point_4_a_read_only_view_shows_the_text_as_the_page_does(django_user_model, politik):
    reader = make_staff(django_user_model, "leserin", "Redaktion")
    reader.groups.clear()
    reader.user_permissions.add(
        Permission.objects.get(content_type__app_label="articles", codename="view_article")
    )
    live = make_article(section=politik, body="<p>Ein <strong>fetter</strong> Satz.</p>")

    html = logged_in(reader).get(change_url(live)).content.decode()

    assert '<div class="desk-readonly-body"><p>Ein <strong>fetter</strong> Satz.</p></div>' in html
    assert "&lt;p&gt;" not in html
    assert 'name="_workflow"' not in html
