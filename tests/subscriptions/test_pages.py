import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("label", "url"),
    [("Aboverwaltung", "/abo/"), ("Abonnement kündigen", "/abo/kuendigen/")],
)
def test_the_footer_links_lead_to_pages_that_say_how(client, label, url):
    home = client.get("/").content.decode()
    assert f'<a href="{url}">{label}</a>' in home

    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<h1 class="page-title">{label}</h1>' in html
    assert "mailto:abo@verwaltung-digital.example" in html
