"""Every save keeps a revision; the history shows diffs; an old revision can come back."""

import pytest
from django.contrib.admin.utils import flatten_fieldsets

from articles.admin.article import ArticleAdmin
from articles.forms import ArticleForm
from articles.models import Article
from articles.review import WorkingCopy
from articles.revisions import diff_labels, save_revision
from tests.conftest import logged_in
from tests.factories import article_form, make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def politik():
    return make_section("Politik", slug="politik")


def add(client, section, **fields):
    response = client.post("/admin/articles/article/add/", article_form(section, **fields))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Article.objects.latest("id")


def change(client, article, section, **fields):
    fields.setdefault("slug", article.slug)
    opened = client.get(f"/admin/articles/article/{article.pk}/change/")
    version = opened.context["adminform"].form["loaded_version"].value()
    data = article_form(section, loaded_version=str(version), **fields)
    data.update({"links-INITIAL_FORMS": "0", "links-TOTAL_FORMS": "0"})
    return client.post(f"/admin/articles/article/{article.pk}/change/", data)


def test_every_save_keeps_a_revision_with_who_and_what(editor_client, editor, politik):
    article = add(editor_client, politik, headline="Erste Fassung", tags="Sachsen, Politik, OZG")
    change(
        editor_client, article, politik, headline="Zweite Fassung", tags="Sachsen, Politik, OZG"
    )

    first, second = article.revisions.order_by("number")
    assert (first.number, first.user, first.comment) == (1, editor, "Angelegt")
    assert second.comment == "Geändert: Überschrift"
    assert first.data["headline"] == "Erste Fassung"
    assert second.data["headline"] == "Zweite Fassung"
    assert second.data["tags"] == ["Sachsen", "Politik", "OZG"]
    assert second.data["links"] == [
        ["Weitere Informationen (Deep Link)", "http://www.smwa.sachsen.de"]
    ]


def test_tags_keep_the_order_the_editor_typed(editor_client, politik, client):
    article = add(editor_client, politik, tags="Sachsen, Politik, OZG", status="review")

    form_html = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content
    assert b'value="Sachsen, Politik, OZG"' in form_html
    assert [t.name for t in article.ordered_tags] == ["Sachsen", "Politik", "OZG"]


def test_the_history_shows_a_readable_diff(editor_client, politik):
    article = add(editor_client, politik, headline="Alte Überschrift", body="<p>Ein Satz.</p>")
    change(
        editor_client,
        article,
        politik,
        headline="Neue Überschrift",
        body="<p>Ein Satz.</p><p>Noch einer.</p>",
    )

    response = editor_client.get(f"/admin/articles/article/{article.pk}/versionen/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<del>Alte</del> <ins>Neue</ins> Überschrift" in html
    assert "Noch einer.</ins>" in html
    assert "Geändert: Überschrift, Text" in html


def test_any_two_revisions_can_be_compared(editor_client, politik):
    article = add(editor_client, politik, headline="Eins")
    for headline in ("Zwei", "Drei"):
        article.refresh_from_db()
        change(editor_client, article, politik, headline=headline)

    html = editor_client.get(
        f"/admin/articles/article/{article.pk}/versionen/?a=1&b=3"
    ).content.decode()

    assert "Unterschiede zwischen Version 1 und 3" in html
    assert "<del>Eins</del> <ins>Drei</ins>" in html


def test_restoring_creates_a_new_revision_and_keeps_the_status(chief_client, politik):
    article = add(chief_client, politik, headline="Gut", status="draft")
    change(chief_client, article, politik, headline="Verschlimmbessert", status="review")

    restore = f"/admin/articles/article/{article.pk}/versionen/1/wiederherstellen/"
    response = chief_client.post(restore)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "Gut"  # the draft's text ...
    assert article.status == Article.Status.REVIEW  # ... but still in review
    latest = article.revisions.first()
    assert latest.number == 3
    assert latest.comment.startswith("Wiederhergestellt aus Version 1 vom ")


def test_restoring_needs_a_post(chief_client, politik):
    article = add(chief_client, politik)

    response = chief_client.get(
        f"/admin/articles/article/{article.pk}/versionen/1/wiederherstellen/"
    )

    assert response.status_code == 200  # a question, not the restore (see test_presence.py)
    assert article.revisions.count() == 1


def test_who_may_not_change_articles_cannot_restore(ad_sales, politik):
    article = make_article(section=politik, headline="Online")
    save_revision(article, comment="Angelegt")

    response = logged_in(ad_sales).post(
        f"/admin/articles/article/{article.pk}/versionen/1/wiederherstellen/"
    )

    assert response.status_code == 403
    assert not WorkingCopy.objects.filter(article=article).exists()


def test_publishing_by_action_is_a_revision_too(chief_client, politik):
    article = make_article(section=politik, status=Article.Status.REVIEW)

    chief_client.post(
        "/admin/articles/article/",
        {"action": "publish_selected", "_selected_action": [str(article.pk)]},
    )

    assert [r.comment for r in article.revisions.order_by("number")] == [
        "Ausgangsstand",
        "Veröffentlicht",
    ]


def test_an_article_without_revisions_keeps_its_original_before_the_first_change(
    chief_client, politik
):
    article = make_article(section=politik, headline="Importiert", tags=["OZG"])
    assert not article.revisions.exists()

    change(chief_client, article, politik, headline="Bearbeitet", **{"_workflow": "publish"})

    original, edited = article.revisions.order_by("number")
    assert (original.comment, original.data["headline"], original.data["tags"]) == (
        "Ausgangsstand",
        "Importiert",
        ["OZG"],
    )
    assert edited.data["headline"] == "Bearbeitet"


def test_restoring_keeps_the_address_and_the_publish_time(chief_client, politik):
    article = add(chief_client, politik, headline="Gut", slug="gut", status="draft")
    change(chief_client, article, politik, headline="Besser", slug="besser", status="published")
    article.refresh_from_db()
    published_at = article.publish_at

    chief_client.post(f"/admin/articles/article/{article.pk}/versionen/1/wiederherstellen/")

    # Published: the old text goes into the draft of the change, with today's address
    # and time; the live article stays as it is (tests/articles/test_presence.py).
    article.refresh_from_db()
    draft = WorkingCopy.objects.get(article=article).data
    assert (article.headline, draft["headline"]) == ("Besser", "Gut")
    assert (draft["slug"], draft["publish_at"]) == ("besser", published_at.isoformat())
    assert (article.slug, article.publish_at) == ("besser", published_at)


def test_a_revision_keeps_the_keys_older_revisions_have(politik):
    """Restoring reads revisions saved long ago, so what one keeps stays the same."""
    revision = save_revision(make_article(section=politik))

    assert set(revision.data) == {
        "section", "kind", "kicker", "headline", "slug", "teaser", "body", "byline",
        "author", "lead_image", "featured", "status", "publish_at", "tags", "links",
        # Issue 24, point 8; revisions kept before them restore without them.
        "seo_title", "seo_description", "social_image",
    }  # fmt: skip


def test_diffs_name_the_fields_as_the_model_does():
    assert [(name, str(label)) for name, label in diff_labels()] == [
        ("kicker", "Dachzeile"),
        ("headline", "Überschrift"),
        ("teaser", "Vorspann"),
        ("body", "Text"),
        ("kind", "Art"),
        ("section", "Bereich"),
        ("tags", "Stichwörter"),
        ("links", "Weiterführende Links"),
        ("lead_image", "Aufmacherbild"),
        ("byline", "Kürzel"),
        ("status", "Status"),
        ("publish_at", "Veröffentlichung"),
        ("featured", "Aufmacher"),
        ("seo_title", "SEO-Titel"),
        ("seo_description", "SEO-Beschreibung"),
        ("social_image", "Bild für soziale Netzwerke"),
    ]


def test_the_editor_lays_out_every_field_of_the_form():
    """The form's fields follow from REVISED_FIELDS; the admin's fieldsets place each one."""
    # Read-only parts (the search-result preview) are shown, not posted.
    laid_out = set(flatten_fieldsets(ArticleAdmin.fieldsets)) - set(ArticleAdmin.readonly_fields)

    assert sorted(laid_out) == sorted(
        [*ArticleForm._meta.fields, "loaded_version", "loaded_fields"]
    )
