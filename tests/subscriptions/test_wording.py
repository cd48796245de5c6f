"""Words that say what happens (issue 19, point 11).

The 429 page speaks about the form it belongs to; the newsletter is
"anmelden", not "bestellen"; and no mail says "ein Klick" where it takes
two: the link in a mail opens a page with a button (a GET changes nothing,
mail scanners open links), and only a mail program's own button under RFC
8058 unsubscribes by a POST at once.
"""

import pytest
from django.core import signing

from portal.lib import ratelimit
from subscriptions import newsletter
from subscriptions.models import NewsletterConsent, NewsletterIssue
from tests.factories import make_plan, make_subscriber
from tests.subscriptions.helpers import link_in, submission_key

pytestmark = pytest.mark.django_db


def main_of(response):
    html = response.content.decode()
    return html[html.index('<main id="inhalt"') : html.index("</main>")]


def newsletter_sign_up(client, erika):
    return client.post("/newsletter/", {"email": "anna@example.org", "consent": "on"})


def order(client, erika):
    plan = make_plan(name="Print-Magazin, jährlich")
    data = {
        "plan": plan.pk,
        "name": "Anna Beispiel",
        "email": "anna@example.org",
        "street": "Rathausplatz 1",
        "postcode": "12345",
        "city": "Musterstadt",
        "terms": "on",
        "submission": submission_key(),
    }
    return client.post("/abo/bestellen/", data)


def login_link(client, erika):
    return client.post("/abo/", {"email": erika.email})


@pytest.mark.parametrize(
    ("scope", "send", "heading", "about", "back"),
    [
        (
            "newsletter",
            newsletter_sign_up,
            "Zu viele Anmeldungen zum Newsletter",
            "Diese Anmeldung ist deshalb nicht eingegangen.",
            'href="/newsletter/"',
        ),
        (
            "order",
            order,
            "Zu viele Bestellungen",
            "es ist kein Vertrag zustande gekommen",
            'href="/abo/bestellen/"',
        ),
        (
            "login",
            login_link,
            "Zu viele Anmeldelinks angefordert",
            "Das geht ohne Anmeldung",
            'href="/abo/kuendigen/"',
        ),
    ],
    ids=["newsletter", "order", "login"],
)
def test_point_11_the_429_page_speaks_about_the_form_it_belongs_to(
    client, monkeypatch, scope, send, heading, about, back
):
    erika = make_subscriber(email="erika@example.org")
    monkeypatch.setitem(ratelimit.LIMITS, scope, (0, 3600))  # the first one is one too many

    response = send(client, erika)

    assert response.status_code == 429
    main = main_of(response)
    assert f'<h1 class="page-title">{heading}</h1>' in main
    assert about in main
    assert back in main
    if scope != "login":
        # Only someone who wanted to log in may have wanted to cancel.
        assert "ündig" not in main


def test_point_11_the_429_page_of_an_address_change_speaks_of_the_address(
    client, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    erika = make_subscriber(email="erika@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/abo/", {"email": erika.email})
    client.post(link_in(mailoutbox[-1], "/abo/anmelden/"))
    monkeypatch.setitem(ratelimit.LIMITS, "email", (0, 3600))

    response = client.post("/abo/email/", {"email": "neu@example.org"})

    assert response.status_code == 429
    main = main_of(response)
    assert '<h1 class="page-title">Zu viele Änderungen der E-Mail-Adresse</h1>' in main
    assert "Ihre E-Mail-Adresse bleibt deshalb, wie sie ist." in main
    assert "ündig" not in main
    erika.refresh_from_db()
    assert erika.email == "erika@example.org"


def test_point_11_the_newsletter_is_anmelden_not_bestellen(client):
    html = client.get("/newsletter/").content.decode()
    main = html[html.index('<main id="inhalt"') : html.index("</main>")]

    assert "Zum Newsletter anmelden</button>" in main
    assert "bestell" not in main.lower()
    assert "mit einem Klick" not in main


def test_point_11_no_mail_says_ein_klick_where_its_link_takes_two(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    consent = NewsletterConsent.objects.create(
        email="anna@example.org", wording="Ja, ich möchte den Newsletter.", digest="x"
    )
    NewsletterConsent.objects.filter(pk=consent.pk).update(confirmed_at=consent.requested_at)
    issue = NewsletterIssue.objects.create(subject="Ausgabe 1", body="Neues aus der Verwaltung.")

    with django_capture_on_commit_callbacks(execute=True):
        newsletter.send_issue(issue, "http://testserver")

    [message] = mailoutbox
    text = message.body.lower()
    assert "ein klick" not in text and "einem klick" not in text
    assert "bestell" not in text
    assert "Öffnen Sie diesen Link und klicken Sie dort auf „Abmelden“." in message.body
    html = message.alternatives[0][0]
    assert "Vom Newsletter abmelden</a>" in html
    # The link opens a page with the button; the GET changes nothing.
    path = link_in(message, "/newsletter/abmelden/")
    page = client.get(path)
    assert "Abmelden</button>" in page.content.decode()
    consent.refresh_from_db()
    assert consent.unsubscribed_at is None
    # A mail program's own button (RFC 8058) is one POST to the same address.
    assert message.extra_headers["List-Unsubscribe"] == f"<http://testserver{path}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    client.post(path, {"List-Unsubscribe": "One-Click"})
    consent.refresh_from_db()
    assert consent.unsubscribed_at is not None
    assert signing.loads(path.split("/")[-2], salt=newsletter.UNSUBSCRIBE_SALT) == consent.pk
