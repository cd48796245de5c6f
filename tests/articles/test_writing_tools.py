"""Issue 24, point 8: writing tools. Tables, the info box and the two-click video survive
the sanitizer and show on page, print and PDF; SEO title and description, the social
picture; hand-picked related articles come first."""

import datetime
import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from articles.models import Article, RelatedPick
from portal.lib.images import make_renditions
from portal.lib.text import sanitize_html
from tests.articles.test_article_page import main_content, warm_shared_fragments
from tests.factories import article_form, make_article, make_image, make_section

pytestmark = pytest.mark.django_db

TABLE = (
    '<table><tbody><tr><th colspan="1" rowspan="1"><p>Land</p></th>'
    '<th colspan="1" rowspan="1"><p>Onlinedienste</p></th></tr>'
    '<tr><td colspan="1" rowspan="1"><p>Sachsen</p></td><td><p>412</p></td></tr>'
    "<tr><td><p>Bayern</p></td><td><p>655</p></td></tr></tbody></table>"
)
INFOBOX = '<aside class="infobox"><h3>Was ist das OZG?</h3><p>Das Onlinezugangsgesetz.</p></aside>'
VIDEO = '<div data-video="youtube:dQw4w9WgXcQ" data-title="Rede der Ministerin"></div>'
BODY = f"<p>Erster Absatz.</p>{TABLE}{INFOBOX}{VIDEO}<p>Letzter Absatz.</p>"


def pdf_text(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def politik():
    return make_section("Politik", slug="politik")


# The elements: stored, on the page, in print and in the PDF


def test_point_8_a_table_is_stored_with_its_header_row_and_scopes():
    html = sanitize_html(TABLE)

    assert html.startswith(
        '<table><thead><tr><th scope="col"><p>Land</p></th>'
        '<th scope="col"><p>Onlinedienste</p></th></tr></thead><tbody><tr><td><p>Sachsen</p></td>'
    )
    assert "colspan" not in html
    assert sanitize_html(html) == html  # saving again changes nothing


def test_point_8_a_header_cell_further_down_heads_its_row():
    html = sanitize_html(
        "<table><tbody><tr><th>Land</th><th>Zahl</th></tr><tr><th>Sachsen</th><td>1</td></tr></tbody></table>"
    )

    assert '<tbody><tr><th scope="row">Sachsen</th><td>1</td></tr></tbody>' in html


def test_point_8_the_info_box_and_the_video_are_stored_as_the_editor_wrote_them():
    assert sanitize_html(INFOBOX) == INFOBOX
    assert sanitize_html(VIDEO) == VIDEO
    assert sanitize_html('<div data-video="vimeo:76979871"></div>') == (
        '<div data-video="vimeo:76979871"></div>'
    )


def test_point_8_the_page_shows_table_info_box_and_video_behind_consent(client, politik):
    article = make_article(section=politik, body=BODY)

    response = client.get(article.get_absolute_url())

    html = main_content(response)
    assert '<div class="table-scroll" tabindex="0"><table><thead><tr><th scope="col">' in html
    assert '<aside class="infobox"><h3>Was ist das OZG?</h3>' in html
    # The video: a placeholder naming the provider, its privacy page and the button.
    assert "Dieses Video wird von YouTube bereitgestellt." in html
    assert 'href="https://policies.google.com/privacy?hl=de"' in html
    assert ">Video laden</button>" in html
    assert 'data-embed="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    # Nothing from the video site is loaded by the page itself: no frame, no thumbnail.
    assert "<iframe" not in html
    assert "ytimg" not in response.content.decode()
    assert not re.search(r'src="https://[^"]*(youtube|vimeo)', response.content.decode())
    assert "js/video-consent.js" in response.content.decode()


def test_point_8_a_page_without_video_loads_no_video_script(client, politik):
    article = make_article(section=politik, body="<p>Nur Text.</p>")

    assert "video-consent.js" not in client.get(article.get_absolute_url()).content.decode()


def test_point_8_frames_are_allowed_only_from_ourselves_and_the_two_video_hosts(client, politik):
    article = make_article(section=politik, body=BODY)

    policy = client.get(article.get_absolute_url())["Content-Security-Policy"]

    frames = re.search(r"frame-src ([^;]*)", policy).group(1).split()
    assert sorted(frames) == sorted(
        ["'self'", "https://www.youtube-nocookie.com", "https://player.vimeo.com"]
    )


def test_point_8_print_page_shows_table_info_box_and_the_video_as_its_link(client, politik):
    article = make_article(section=politik, body=BODY)

    html = client.get(article.get_print_url()).content.decode()

    assert '<th scope="col"><p>Land</p></th>' in html
    assert '<aside class="infobox"><h3>Was ist das OZG?</h3>' in html
    assert "Video (YouTube): Rede der Ministerin" in html
    assert '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">' in html
    assert "Video laden" not in html
    assert "<iframe" not in html


def test_point_8_the_pdf_has_the_table_the_info_box_and_the_video_link(client, politik):
    article = make_article(section=politik, body=BODY)

    text = pdf_text(client.get(article.get_pdf_url()))

    assert "Land" in text and "Onlinedienste" in text and "Sachsen" in text and "655" in text
    assert "Was ist das OZG?" in text
    assert "Das Onlinezugangsgesetz." in text
    assert "Video (YouTube): Rede der Ministerin" in text
    assert "youtube.com/watch?v=dQw4w9WgXcQ" in text.replace("\n", "")


# Malicious variants


@pytest.mark.parametrize(
    ("payload", "kept"),
    [
        # An id that smuggles in parameters, another host, or markup.
        ('<div data-video="youtube:dQw4w9WgXcQ&amp;autoplay=1">x</div>', "x"),
        ('<div data-video="youtube:https://evil.example/x">Text</div>', "Text"),
        ('<div data-video="evil:12345678901"></div>', ""),
        ('<div data-video="vimeo:1 onload=alert(1)"></div>', ""),
        (
            '<div data-video="youtube:dQw4w9WgXcQ" onclick="alert(1)" src="https://evil.example">'
            '<iframe src="https://evil.example"></iframe></div>',
            '<div data-video="youtube:dQw4w9WgXcQ"></div>',
        ),
        (
            '<div data-video="youtube:dQw4w9WgXcQ" '
            'data-title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"></div>',
            '<div data-video="youtube:dQw4w9WgXcQ" '
            'data-title="&quot;scriptalert(1)/script"></div>',
        ),
        # An aside of another kind, or with more than our class.
        ('<aside class="evil" style="position:fixed"><p>Text</p></aside>', "<p>Text</p>"),
        (
            '<aside class="infobox" onmouseover="alert(1)" id="x"><p>T</p></aside>',
            '<aside class="infobox"><p>T</p></aside>',
        ),
        # Tables: only scope, and only its two values.
        (
            '<table onclick="alert(1)" style="x"><tbody><tr><td background="javascript:alert(1)" '
            'class="x">1</td></tr></tbody></table>',
            "<table><tbody><tr><td>1</td></tr></tbody></table>",
        ),
        (
            '<table><thead><tr><th scope="javascript:alert(1)" abbr="x">A</th></tr>'
            "</thead></table>",
            '<table><thead><tr><th scope="col">A</th></tr></thead></table>',
        ),
    ],
)
def test_point_8_malicious_variants_are_stripped(payload, kept):
    assert sanitize_html(payload) == kept


def test_point_8_a_video_id_that_is_not_valid_never_reaches_the_page(client, politik):
    article = make_article(section=politik, body=VIDEO)
    # Written past the sanitizer (an import, psql): the page still checks the id.
    Article.objects.filter(pk=article.pk).update(
        body='<div data-video="youtube:x&quot; onload=&quot;alert(1)"></div><p>Text</p>'
    )

    html = main_content(client.get(article.get_absolute_url()))

    assert "Video laden" not in html
    assert "onload" not in html
    assert "Text" in html


# SEO title and description, social picture


def test_point_8_without_seo_fields_headline_teaser_and_lead_picture_stand_in(client, politik):
    image = make_image(alt_text="Kabinett in Dresden")
    make_renditions(image)
    article = make_article(
        section=politik,
        kicker="Sachsen",
        headline="Digitalstrategie überarbeitet",
        teaser="Die Strategie liegt vor.",
        lead_image=image,
    )

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<title>Sachsen: Digitalstrategie überarbeitet – " in html
    assert '<meta name="description" content="Die Strategie liegt vor.">' in html
    assert '<meta property="og:title" content="Sachsen: Digitalstrategie überarbeitet">' in html
    assert '<meta property="og:description" content="Die Strategie liegt vor.">' in html
    assert f'<meta property="og:image" content="http://testserver{image.print_src}">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html


def test_point_8_seo_title_description_and_social_picture_are_used_when_given(client, politik):
    lead, social = make_image(), make_image(alt_text="Grafik zur Strategie")
    make_renditions(social)
    article = make_article(
        section=politik,
        headline="Digitalstrategie überarbeitet",
        teaser="Die Strategie liegt vor.",
        seo_title="Sachsens neue Digitalstrategie im Überblick",
        seo_description="Was die Digitalstrategie für Kommunen bedeutet: Zahlen & Fristen.",
        lead_image=lead,
        social_image=social,
    )

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<title>Sachsens neue Digitalstrategie im Überblick</title>" in html
    description = "Was die Digitalstrategie für Kommunen bedeutet: Zahlen &amp; Fristen."
    assert f'<meta name="description" content="{description}">' in html
    assert (
        '<meta property="og:title" content="Sachsens neue Digitalstrategie im Überblick">' in html
    )
    assert f'<meta name="twitter:description" content="{description}">' in html
    assert f'<meta property="og:image" content="http://testserver{social.print_src}">' in html
    assert '<meta property="og:image:alt" content="Grafik zur Strategie">' in html
    # The page itself still shows the headline and the teaser.
    assert '<span class="headline">Digitalstrategie überarbeitet</span>' in html


def test_point_8_seo_fields_have_their_limits_in_the_form(chief_client, politik):
    response = chief_client.post(
        "/admin/articles/article/add/",
        article_form(politik, seo_title="x" * 61, seo_description="y" * 161),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "höchstens 60 Zeichen" in str(errors["seo_title"])
    assert "höchstens 160 Zeichen" in str(errors["seo_description"])
    assert not Article.objects.exists()


def test_point_8_the_form_shows_counters_and_the_previews(chief_client, politik):
    article = make_article(section=politik, seo_title="Kurz")

    html = chief_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()

    assert "Suchmaschinen und soziale Netzwerke" in html
    assert "4 von 60 Zeichen" in html
    assert "0 von 160 Zeichen" in html
    assert "So etwa im Suchergebnis:" in html
    assert "So etwa beim Teilen" in html
    assert f'data-path="{article.get_absolute_url()}"' in html
    assert "js/writing-tools.js" in html
    assert "js/editor-writing.js" in html
    assert "Mehr zum Thema: von Hand gewählte Artikel" in html


def test_point_8_the_card_preview_asks_for_the_chosen_picture(chief_client, client):
    image = make_image(alt_text="Grafik")
    make_renditions(image)

    response = chief_client.get(f"/admin/articles/article/bild-karte/{image.pk}/")

    assert response.json() == {"url": image.src, "alt": "Grafik"}
    assert client.get(f"/admin/articles/article/bild-karte/{image.pk}/").status_code == 302


def test_point_8_seo_fields_are_kept_in_revisions_and_restored(chief_client, politik):
    response = chief_client.post(
        "/admin/articles/article/add/",
        article_form(politik, seo_title="Erster Titel", seo_description="Erste Beschreibung"),
    )
    assert response.status_code == 302
    article = Article.objects.get()
    data = article_form(politik, seo_title="Zweiter Titel", loaded_version=article.version)
    chief_client.post(f"/admin/articles/article/{article.pk}/change/", data)

    revisions = list(article.revisions.order_by("number"))
    assert [r.data["seo_title"] for r in revisions] == ["Erster Titel", "Zweiter Titel"]


# Hand-picked related articles


def test_point_8_hand_picked_articles_come_first_then_the_newest(client, politik):
    now = timezone.now()
    viewed = make_article(section=politik, headline="Die neueste", publish_at=now)
    others = [
        make_article(
            section=politik, headline=f"Andere {n}", publish_at=now - datetime.timedelta(days=n)
        )
        for n in range(1, 8)
    ]
    elsewhere = make_article(
        section=make_section("Praxis"),
        headline="Aus der Praxis",
        publish_at=now - datetime.timedelta(days=30),
    )
    RelatedPick.objects.create(article=viewed, picked=elsewhere, position=0)
    RelatedPick.objects.create(article=viewed, picked=others[5], position=1)

    html = main_content(client.get(viewed.get_absolute_url()))

    related = html.split("Mehr zum Thema und weitere Beiträge aus dem Bereich Politik")[1]
    shown = re.findall(r'class="teaser__title">\s*<a href="[^"]+">([^<]+)</a>', related)
    assert shown == [elsewhere.title, others[5].title, *(a.title for a in others[:3])]


def test_point_8_a_pick_readers_may_not_see_is_left_out(client, politik):
    viewed = make_article(section=politik, headline="Die neueste")
    draft = make_article(section=politik, headline="Noch ein Entwurf", status="draft")
    RelatedPick.objects.create(article=viewed, picked=draft)

    html = main_content(client.get(viewed.get_absolute_url()))

    assert "Noch ein Entwurf" not in html


def test_point_8_the_related_box_renews_when_the_picks_or_a_picked_article_change(client, politik):
    viewed = make_article(section=politik, headline="Die neueste")
    first = make_article(
        section=make_section("Praxis"),
        headline="Erste Wahl",
        publish_at=timezone.now() - datetime.timedelta(days=40),
    )
    url = viewed.get_absolute_url()
    assert "Erste Wahl" not in main_content(client.get(url))

    pick = RelatedPick.objects.create(article=viewed, picked=first)
    assert "Erste Wahl" in main_content(client.get(url))

    first.headline = "Erste Wahl, neu betitelt"
    first.save()
    assert "Erste Wahl, neu betitelt" in main_content(client.get(url))

    pick.delete()
    assert "Erste Wahl" not in main_content(client.get(url))


def test_point_8_picks_are_chosen_in_the_form_in_order(chief_client, politik):
    first = make_article(section=politik, headline="Erste")
    second = make_article(section=politik, headline="Zweite")
    data = article_form(
        politik,
        **{
            "related_picks-TOTAL_FORMS": "2",
            "related_picks-0-picked": second.pk,
            "related_picks-0-position": "0",
            "related_picks-1-picked": first.pk,
            "related_picks-1-position": "1",
        },
    )

    response = chief_client.post("/admin/articles/article/add/", data)

    assert response.status_code == 302
    article = Article.objects.exclude(pk__in=[first.pk, second.pk]).get()
    assert list(article.related_picks.values_list("picked_id", flat=True)) == [
        second.pk,
        first.pk,
    ]


@pytest.mark.parametrize("picks", [0, 3])
def test_point_8_the_article_page_needs_no_more_queries_with_picks_and_elements(
    client, politik, django_assert_max_num_queries, picks
):
    article = make_article(section=politik, body=BODY, social_image=make_image())
    for n in range(picks):
        RelatedPick.objects.create(
            article=article, picked=make_article(section=politik, headline=f"Gewählt {n}")
        )
    for _ in range(6):
        make_article(section=politik, lead_image=make_image())
    client.get(article.get_absolute_url())  # the related box with these picks, kept
    warm_shared_fragments(client)

    with django_assert_max_num_queries(4):
        response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert main_content(response).count("Gewählt ") >= picks


def test_point_8_a_revision_kept_before_the_seo_fields_still_restores(politik):
    from articles.revisions import restore, save_revision

    article = make_article(section=politik, headline="Alt", seo_title="Neuer SEO-Titel")
    old = save_revision(article)
    for name in ("seo_title", "seo_description", "social_image"):
        del old.data[name]
    old.save()
    article.headline = "Neu"
    article.save()

    restore(article, old)

    article.refresh_from_db()
    assert article.headline == "Alt"
    assert article.seo_title == "Neuer SEO-Titel"
