"""Impressum, Datenschutz, Barrierefreiheit, AGB: on every page, edited in the back office."""

import pytest

from portal.models import LegalText, Publisher
from tests.conftest import logged_in
from tests.factories import make_article

pytestmark = pytest.mark.django_db

LEGAL = [
    ("/impressum/", "Impressum"),
    ("/datenschutz/", "Datenschutz"),
    ("/barrierefreiheit/", "Barrierefreiheit"),
    ("/agb/", "AGB"),
]


def test_every_page_links_the_legal_pages_in_its_footer(client):
    article = make_article()

    for page in ["/", article.get_absolute_url(), "/abo/kuendigen/"]:
        html = client.get(page).content.decode()
        footer = html[html.index('<footer class="site-footer">') :]
        for url, label in LEGAL:
            assert f'<a href="{url}">{label}</a>' in footer, (page, url)


def test_the_impressum_names_the_publisher_and_who_is_responsible_for_the_content(client):
    html = client.get("/impressum/").content.decode()

    assert "Angaben gemäß § 5 DDG" in html
    assert "Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV" in html
    assert Publisher.objects.get().responsible in html


@pytest.mark.parametrize("kind", ["datenschutz", "barrierefreiheit", "agb"])
def test_each_legal_text_has_its_page(client, kind):
    text = LegalText.objects.get(kind=kind)

    response = client.get(f"/{kind}/")

    assert response.status_code == 200
    assert f'<h1 class="page-title">{text.title}</h1>' in response.content.decode()


def test_the_chefredaktion_edits_the_impressum_and_readers_see_it_at_once(client, chief):
    publisher = Publisher.objects.get()
    client.get("/impressum/")  # now in the cache
    form = {
        field: getattr(publisher, field)
        for field in [
            "name",
            "street",
            "postcode",
            "city",
            "represented_by",
            "email",
            "phone",
            "register",
            "vat_id",
            "responsible",
            "responsible_address",
        ]
    }

    response = logged_in(chief).post(
        f"/admin/portal/publisher/{publisher.pk}/change/",
        {**form, "responsible": "Dr. Neu Verantwortlich"},
    )

    assert response.status_code == 302
    assert "Dr. Neu Verantwortlich" in client.get("/impressum/").content.decode()


def test_a_legal_text_is_sanitized_when_saved(client):
    text = LegalText.objects.get(kind="agb")
    text.body = '<p onclick="x()">Neu</p><script>alert(1)</script>'
    text.save()

    html = client.get("/agb/").content.decode()

    assert "<p>Neu</p>" in html
    assert "alert(1)" not in html


def test_only_the_chefredaktion_may_change_the_legal_pages(editor, chief):
    publisher = Publisher.objects.get()

    assert (
        logged_in(editor).get(f"/admin/portal/publisher/{publisher.pk}/change/").status_code == 403
    )
    assert (
        logged_in(chief).get(f"/admin/portal/publisher/{publisher.pk}/change/").status_code == 200
    )
    assert logged_in(chief).get("/admin/portal/publisher/add/").status_code == 403  # one only


def test_an_unknown_legal_page_is_not_found(client):
    assert client.get("/agb-alt/").status_code == 404
