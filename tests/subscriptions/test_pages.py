import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("label", "url"),
    [
        ("Aboverwaltung", "/abo/"),
        ("Abonnement kündigen", "/abo/kuendigen/"),
        ("Abonnement bestellen", "/abo/bestellen/"),
        ("Newsletter", "/newsletter/"),
    ],
)
def test_the_footer_links_lead_to_the_subscription_service(client, label, url):
    home = client.get("/").content.decode()
    assert f'<a href="{url}">{label}</a>' in home

    response = client.get(url)

    assert response.status_code == 200
    assert f'<h1 class="page-title">{label}</h1>' in response.content.decode()
