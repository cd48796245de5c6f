"""Edges of the back office found in review: races, stale forms, odd input, pictures in use."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage

from articles.diff import word_diff
from articles.models import Article, Image
from articles.revisions import save_revision
from articles.views.article import preview_token
from portal.lib import images
from portal.lib.images import make_renditions
from tests.factories import article_form, make_article, make_image, make_section

pytestmark = pytest.mark.django_db


def open_form(client, article):
    response = client.get(f"/admin/articles/article/{article.pk}/change/")
    return response.context["adminform"].form["loaded_version"].value()


def save(client, article, version, links=(), **fields):
    fields.setdefault("slug", article.slug)
    data = article_form(article.section, loaded_version=str(version), **fields)
    data.update({"links-INITIAL_FORMS": str(len(links)), "links-TOTAL_FORMS": str(len(links))})
    for n, (pk, label, url) in enumerate(links):
        data.update(
            {
                f"links-{n}-id": str(pk or ""),
                f"links-{n}-article": str(article.pk),
                f"links-{n}-label": label,
                f"links-{n}-url": url,
                f"links-{n}-position": str(n),
            }
        )
    return client.post(f"/admin/articles/article/{article.pk}/change/", data)


def test_a_writer_whose_article_was_published_meanwhile_keeps_the_text(
    editor_client, chief_client
):
    article = make_article(status=Article.Status.REVIEW, headline="Eingereicht")
    version = open_form(editor_client, article)
    chief_client.post(
        "/admin/articles/article/",
        {"action": "publish_selected", "_selected_action": [str(article.pk)]},
    )

    response = save(editor_client, article, version, headline="Meine letzte Korrektur")

    assert response.status_code == 200
    html = response.content.decode()
    assert "wurde inzwischen veröffentlicht" in html
    assert 'value="Meine letzte Korrektur"' in html
    article.refresh_from_db()
    assert (article.headline, article.status) == ("Eingereicht", Article.Status.PUBLISHED)


def test_after_a_restore_an_open_form_can_still_be_saved(editor_client, chief_client):
    article = make_article(status=Article.Status.DRAFT, links=[("Info", "https://a.example")])
    save_revision(article, comment="Angelegt")
    article.headline = "Zweite"
    article.save()
    save_revision(article, comment="Zweite")
    link = article.links.get()
    version = open_form(editor_client, article)
    assert (
        chief_client.post(
            f"/admin/articles/article/{article.pk}/versionen/1/wiederherstellen/"
        ).status_code
        == 302
    )

    mine = [(link.pk, "Info", "https://a.example")]
    first = save(editor_client, article, version, links=mine, headline="Mein Text")
    version = first.context["adminform"].form["loaded_version"].value()
    second = save(editor_client, article, version, links=mine, headline="Mein Text")

    assert second.status_code == 302
    article.refresh_from_db()
    assert article.headline == "Mein Text"
    assert article.links.get().pk == link.pk  # restored in place, ids kept


def test_links_removed_meanwhile_do_not_block_a_save(editor_client):
    article = make_article(
        status=Article.Status.DRAFT,
        links=[("Eins", "https://eins.example"), ("Zwei", "https://zwei.example")],
    )
    first, second = article.links.order_by("position")
    version = open_form(editor_client, article)
    second.delete()  # someone else removed a link and saved
    Article.objects.filter(pk=article.pk).update(version=article.version + 1)

    mine = [
        (first.pk, "Eins", "https://eins.example"),
        (second.pk, "Zwei", "https://zwei.example"),
    ]
    refused = save(editor_client, article, version, links=mine, headline="Meins")
    version = refused.context["adminform"].form["loaded_version"].value()
    formset = refused.context["inline_admin_formsets"][0].formset
    resubmit = [(f["id"].value(), f["label"].value(), f["url"].value()) for f in formset.forms]
    saved = save(editor_client, article, version, links=resubmit, headline="Meins")

    assert saved.status_code == 302
    assert [(lk.label, lk.url) for lk in article.links.order_by("position")] == [
        ("Eins", "https://eins.example"),
        ("Zwei", "https://zwei.example"),
    ]


def test_the_publish_action_writes_only_status_and_time(chief_client):
    article = make_article(status=Article.Status.REVIEW, headline="Von jemand anderem")

    with CaptureQueriesContext(connection) as queries:
        chief_client.post(
            "/admin/articles/article/",
            {"action": "publish_selected", "_selected_action": [str(article.pk)]},
        )

    updates = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('UPDATE "articles_article"')
    ]
    assert updates and all('"headline"' not in sql and '"body"' not in sql for sql in updates)
    assert any("FOR UPDATE" in q["sql"] for q in queries.captured_queries)


def test_restore_keeps_the_current_author_and_section_if_theirs_are_gone(
    chief_client, django_user_model
):
    old_section, new_section = make_section("Alt", slug="alt"), make_section("Neu", slug="neu")
    gone = django_user_model.objects.create_user("ehemalig", is_staff=True)
    article = make_article(section=old_section, status=Article.Status.DRAFT, author=gone)
    save_revision(article, comment="Alt")
    article.section = new_section
    article.author = None
    article.save()
    save_revision(article, comment="Neu")
    gone.delete()
    old_section.delete()

    restore = f"/admin/articles/article/{article.pk}/versionen/1/wiederherstellen/"
    response = chief_client.post(restore)

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.section, article.author) == (new_section, None)


def test_a_preview_link_stops_working_when_the_article_is_taken_back(client):
    article = make_article(headline="Rechtlich heikel")
    token = preview_token(article)
    article.unpublish()
    article.save()

    response = client.get(f"/vorschau/{token}/")

    assert response.status_code == 404
    assert "Rechtlich heikel" not in response.content.decode()


@pytest.mark.parametrize("where", ["lead", "body"])
def test_redaktion_cannot_change_a_picture_readers_see(editor_client, chief_client, where, client):
    image = make_image(caption="Die Ministerin")
    make_renditions(image)
    if where == "lead":
        live = make_article(lead_image=image)
    else:
        live = make_article(
            body=f'<figure><img src="x" data-file="{image.pk}">'
            "<figcaption>Die Ministerin</figcaption></figure>"
        )
    change = f"/admin/articles/image/{image.pk}/change/"
    data = {"alt_text": "Neu", "caption": "Neue Unterschrift", "credit": ""}

    assert 'name="_save"' not in editor_client.get(change).content.decode()
    assert editor_client.post(change, data).status_code == 403
    assert "Neue Unterschrift" not in client.get(live.get_absolute_url()).content.decode()
    assert chief_client.post(change, data).status_code == 302


def test_redaktion_may_change_pictures_of_drafts(editor_client):
    image = make_image()
    make_article(lead_image=image, status=Article.Status.DRAFT)

    response = editor_client.post(
        f"/admin/articles/image/{image.pk}/change/", {"alt_text": "Besser", "caption": ""}
    )

    assert response.status_code == 302


def test_diffs_show_changed_link_targets_and_pictures():
    old = '<p><a href="https://amt24.sachsen.de">Amt24</a></p>'
    new = (
        '<p><a href="https://evil.example">Amt24</a></p>'
        '<figure><picture><img src="x" alt="Rathaus" data-file="3"></picture></figure>'
    )

    diff = word_diff(old, new)

    assert "<del>⟨https://amt24.sachsen.de⟩</del>" in diff
    assert "<ins>⟨https://evil.example⟩</ins>" in diff
    assert "<ins>[Bild 3: Rathaus]</ins>" in diff


def test_a_long_rewritten_paragraph_is_shown_replaced_whole():
    old, new = " ".join(["alt"] * 3000), " ".join(["neu"] * 3000)

    diff = word_diff(f"<p>{old}</p>", f"<p>{new}</p>")

    assert diff == f"<del>{old}</del> <ins>{new}</ins>"


def test_the_conflict_diff_includes_the_posted_links(editor_client):
    article = make_article(status=Article.Status.DRAFT)
    version = open_form(editor_client, article)
    Article.objects.filter(pk=article.pk).update(version=article.version + 1)

    response = save(editor_client, article, version, links=[(None, "Neu", "https://neu.example")])

    links = {f.name: f for f in response.context["adminform"].form.conflict.fields}["links"]
    assert links.mine == "Neu – https://neu.example"
    assert "Neu – https://neu.example" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/article/planung/?datum=0001-01-01",
        "/admin/articles/article/planung/?datum=9999-12-31",
        "/admin/articles/article/planung/?datum=9999-12-20&ansicht=monat",
        "/admin/articles/article/?q=%C2%B2",  # "²" is a digit to Python, not to int()
    ],
)
def test_odd_admin_input_is_answered_not_crashed(chief_client, url):
    assert chief_client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/image/auswahl/?CKEditorFuncNum=1&q=%00",
        "/admin/autocomplete/?app_label=articles&model_name=article&field_name=tags&term=%00",
        "/admin/articles/article/?q=a%00b",
        "/rubrik/politik/?page=%00",
    ],
)
def test_a_nul_byte_gets_a_400(chief_client, url):
    assert chief_client.get(url).status_code == 400


def test_a_body_with_an_odd_picture_id_still_saves():
    article = make_article(body='<p>Text</p><img src="x" data-file="²">')

    assert article.body == "<p>Text</p>"


def test_a_16_bit_png_is_taken(editor_client):
    buffer = io.BytesIO()
    PILImage.new("I;16", (400, 300), 30000).save(buffer, "PNG")

    response = editor_client.post(
        "/admin/articles/image/add/",
        {"file": SimpleUploadedFile("scan.png", buffer.getvalue()), "alt_text": "Scan"},
    )

    assert response.status_code == 302
    assert Image.objects.get().renditions["webp"]


def test_a_phone_jpeg_with_extra_frames_is_taken_as_jpeg(editor_client):
    buffer = io.BytesIO()
    main, depth = PILImage.new("RGB", (300, 200), (1, 2, 3)), PILImage.new("RGB", (300, 200))
    main.save(buffer, "MPO", save_all=True, append_images=[depth])

    response = editor_client.post(
        "/admin/articles/image/add/",
        {"file": SimpleUploadedFile("iphone.jpg", buffer.getvalue()), "alt_text": "Foto"},
    )

    assert response.status_code == 302
    with Image.objects.get().file.open("rb") as handle, PILImage.open(handle) as stored:
        assert stored.format == "JPEG"


def test_the_size_limit_applies_to_the_upload_not_to_our_re_encoding(editor_client, monkeypatch):
    buffer = io.BytesIO()
    PILImage.effect_noise((600, 400), 60).convert("RGB").save(buffer, "JPEG", quality=20)
    upload = buffer.getvalue()
    monkeypatch.setattr(images, "MAX_BYTES", len(upload) + 100)  # re-encoded at 90 it is larger

    response = editor_client.post(
        "/admin/articles/image/add/",
        {"file": SimpleUploadedFile("klein.jpg", upload), "alt_text": "Rauschen"},
    )

    assert response.status_code == 302
    assert Image.objects.get().file.size > len(upload) + 100


def test_tags_with_quotes_survive_a_save_unchanged(editor_client):
    article = make_article(
        status=Article.Status.DRAFT, tags=['Gesetz "Digitale Verwaltung"', "OZG"]
    )
    save_revision(article, comment="Angelegt")
    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/")
    form = page.context["adminform"].form
    typed = form["tags"].value()
    typed = form.fields["tags"].widget.format_value(typed)

    save(
        editor_client,
        article,
        form["loaded_version"].value(),
        tags=typed,
        kicker=article.kicker,
        headline=article.headline,
        teaser=article.teaser,
        body=article.body,
        byline=article.byline,
        status=article.status,
    )

    assert [t.name for t in article.ordered_tags] == ['Gesetz "Digitale Verwaltung"', "OZG"]
    assert article.revisions.first().comment == "Gespeichert ohne Änderung"


def test_a_pasted_pull_quote_in_a_figure_is_kept():
    article = make_article(
        body="<p>Vorher</p><figure><blockquote>Ein Zitat</blockquote></figure><p>Nachher</p>"
    )

    assert article.body == "<p>Vorher</p><blockquote>Ein Zitat</blockquote><p>Nachher</p>"


def test_alt_text_cannot_break_out_of_the_embedded_picture():
    image = make_image()
    article = make_article(
        body='<img src="x" alt="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" '
        f'data-file="{image.pk}">'
    )

    assert "<script" not in article.body
    assert "&lt;script&gt;" in article.body


def test_a_busy_day_in_the_month_view_links_to_its_week(editor_client):
    berlin = datetime.timezone(datetime.timedelta(hours=1))
    for hour in range(9):
        make_article(publish_at=datetime.datetime(2026, 12, 1, 8 + hour, tzinfo=berlin))

    html = editor_client.get(
        "/admin/articles/article/planung/", {"ansicht": "monat", "datum": "2026-12-01"}
    ).content.decode()

    more = '<a class="planning__more" href="?ansicht=woche&amp;datum=2026-12-01">+ 3 weitere</a>'
    assert more in html
