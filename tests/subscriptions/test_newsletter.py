"""The newsletter with double opt-in: sign up, confirm by link, unsubscribe with one click."""

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from subscriptions.forms import NEWSLETTER_WORDING
from subscriptions.models import NewsletterConsent
from subscriptions.newsletter import unsubscribe_path

pytestmark = pytest.mark.django_db

NEWSLETTER = "/newsletter/"
WORDING = NEWSLETTER_WORDING.format(portal=settings.PORTAL_NAME)


def sign_up(client, on_commit, email="anna@example.org", **extra):
    with on_commit(execute=True):
        return client.post(NEWSLETTER, {"email": email, "consent": "on"}, **extra)


def confirm_path(message):
    match = re.search(r"https?://[^/\s]+(/newsletter/bestaetigen/[^/\s]+/)", message.body)
    assert match, message.body
    return match[1]


@pytest.fixture
def requested(client, mailoutbox, django_capture_on_commit_callbacks):
    """Anna asked for the newsletter: her consent waits, the link is in her mail."""
    sign_up(client, django_capture_on_commit_callbacks)
    return NewsletterConsent.objects.get(), confirm_path(mailoutbox[0])


@pytest.fixture
def subscribed():
    return NewsletterConsent.objects.create(
        email="anna@example.org",
        wording=WORDING,
        confirmed_at=timezone.now(),
        confirmed_from="127.0.0.1",
        digest="0" * 64,
    )


# Signing up


def test_it_shows_the_form_with_the_wording_of_the_consent(client):
    response = client.get(NEWSLETTER)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="email"' in html
    assert 'type="checkbox" name="consent"' in html
    assert escape(WORDING) in html


def test_it_wants_the_consent_ticked_and_keeps_what_was_typed(client):
    response = client.post(NEWSLETTER, {"email": "anna@example.org"})

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<p class="field-error" id="id_consent_error">'
        "Bitte bestätigen Sie, dass Sie den Newsletter erhalten möchten.</p>"
    ) in html
    assert 'value="anna@example.org"' in html
    assert not NewsletterConsent.objects.exists()


def test_it_explains_an_invalid_address_in_german(client):
    response = client.post(NEWSLETTER, {"email": "anna@", "consent": "on"})

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<p class="field-error" id="id_email_error">Bitte gültige E-Mail-Adresse eingeben.</p>'
    ) in html
    assert not NewsletterConsent.objects.exists()


def test_signing_up_records_the_request_and_asks_for_confirmation_by_mail(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    response = sign_up(client, django_capture_on_commit_callbacks, email="Anna@Example.org")

    assert response.status_code == 302
    assert response["Location"] == "/newsletter/?angefordert=1"
    assert "Bestätigungslink" in client.get(response["Location"]).content.decode()
    consent = NewsletterConsent.objects.get()
    assert consent.email == "anna@example.org"
    assert consent.wording == WORDING
    assert consent.requested_from == "127.0.0.1"
    assert consent.confirmed_at is None
    assert not consent.is_active

    [message] = mailoutbox
    assert message.to == ["anna@example.org"]
    assert message.subject == (
        f"Bitte bestätigen Sie Ihre Anmeldung zum Newsletter von {settings.PORTAL_NAME}"
    )
    assert "Guten Tag," in message.body
    assert "innerhalb von 7 Tagen" in message.body
    assert WORDING in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    link = confirm_path(message)
    assert link in html
    assert escape(WORDING) in html


def test_the_confirmation_mail_carries_no_advertising(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks)

    [message] = mailoutbox
    html, _mimetype = message.alternatives[0]
    for text in (message.body, html):
        assert "/anzeige/" not in text
        assert "Anzeige" not in text


# Confirming


def test_opening_the_link_asks_for_a_click_and_does_not_confirm_yet(client, requested):
    consent, link = requested

    response = client.get(link)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Anmeldung bestätigen</button>" in html
    assert escape(WORDING) in html
    consent.refresh_from_db()
    assert consent.confirmed_at is None


def test_the_button_confirms_with_time_and_address(client, requested):
    consent, link = requested

    response = client.post(link, REMOTE_ADDR="198.51.100.23")

    assert response.status_code == 200
    assert "Newsletter bestätigt" in response.content.decode()
    consent.refresh_from_db()
    assert consent.confirmed_at is not None
    assert consent.confirmed_from == "198.51.100.23"
    assert consent.is_active


def test_a_made_up_link_is_gone(client, requested):
    consent, _link = requested

    for method in (client.get, client.post):
        response = method("/newsletter/bestaetigen/ausgedacht-und-falsch/")
        assert response.status_code == 410
        assert "Link nicht mehr gültig" in response.content.decode()
    consent.refresh_from_db()
    assert consent.confirmed_at is None


def test_a_link_older_than_a_week_is_gone(client, requested):
    consent, link = requested
    NewsletterConsent.objects.filter(pk=consent.pk).update(
        requested_at=timezone.now() - datetime.timedelta(days=7, minutes=1)
    )

    assert client.get(link).status_code == 410
    assert client.post(link).status_code == 410
    consent.refresh_from_db()
    assert consent.confirmed_at is None


# Unsubscribing


def test_the_unsubscribe_link_asks_first_and_changes_nothing(client, subscribed):
    response = client.get(unsubscribe_path(subscribed))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Abmelden</button>" in html
    subscribed.refresh_from_db()
    assert subscribed.unsubscribed_at is None


def test_the_button_unsubscribes(client, subscribed):
    response = client.post(unsubscribe_path(subscribed))

    assert response.status_code == 200
    assert "anna@example.org erhält keinen Newsletter mehr." in response.content.decode()
    subscribed.refresh_from_db()
    assert subscribed.unsubscribed_at is not None
    assert not subscribed.is_active


def test_unsubscribing_ends_every_sign_up_of_the_address(client, subscribed):
    second = NewsletterConsent.objects.create(
        email="anna@example.org", wording=WORDING, confirmed_at=timezone.now(), digest="1" * 64
    )

    client.post(unsubscribe_path(subscribed))

    second.refresh_from_db()
    assert second.unsubscribed_at is not None
    assert not NewsletterConsent.objects.filter(unsubscribed_at__isnull=True).exists()


def test_a_mail_program_unsubscribes_with_one_click_without_a_csrf_token(subscribed):
    mail_program = Client(enforce_csrf_checks=True)

    response = mail_program.post(
        unsubscribe_path(subscribed),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    subscribed.refresh_from_db()
    assert subscribed.unsubscribed_at is not None


def test_a_tampered_unsubscribe_link_is_not_found(client, subscribed):
    path = unsubscribe_path(subscribed)
    signed = path.rstrip("/").rsplit("/", 1)[1]
    tampered = signed[:-1] + ("A" if signed[-1] != "A" else "B")

    response = client.post(path.replace(signed, tampered))

    assert response.status_code == 404
    subscribed.refresh_from_db()
    assert subscribed.unsubscribed_at is None


# Limits


@pytest.mark.parametrize(
    "attempt",
    [
        pytest.param(lambda n: (f"leser{n}@example.org", "203.0.113.7"), id="from-one-ip"),
        pytest.param(lambda n: ("anna@example.org", f"203.0.113.{n}"), id="for-one-address"),
    ],
)
def test_the_sixth_sign_up_within_an_hour_is_refused_in_german(
    client, mailoutbox, django_capture_on_commit_callbacks, attempt
):
    for number in range(1, 6):
        email, address = attempt(number)
        response = sign_up(client, django_capture_on_commit_callbacks, email, REMOTE_ADDR=address)
        assert response.status_code == 302

    email, address = attempt(6)
    response = sign_up(client, django_capture_on_commit_callbacks, email, REMOTE_ADDR=address)

    assert response.status_code == 429
    assert "Zu viele Anfragen" in response.content.decode()
    assert NewsletterConsent.objects.count() == 5
    assert len(mailoutbox) == 5


def test_behind_the_proxy_each_reader_has_a_limit_of_their_own(client, settings, mailoutbox):
    settings.BEHIND_PROXY = True

    def from_address(address, n):
        return client.post(
            "/newsletter/",
            {"email": f"leser{n}@example.org", "consent": "on"},
            REMOTE_ADDR="10.0.0.1",  # the proxy
            HTTP_X_FORWARDED_FOR=f"198.51.100.99, {address}",  # the first part is the client's say
        ).status_code

    first_reader = [from_address("203.0.113.1", n) for n in range(6)]
    other_reader = from_address("203.0.113.2", 99)

    assert first_reader == [302] * 5 + [429]
    assert other_reader == 302
    assert NewsletterConsent.objects.filter(requested_from="203.0.113.2").count() == 1


@pytest.mark.parametrize(
    "spelling",
    [
        pytest.param(lambda n: f"anna+{n}@example.org", id="plus-tags"),
        pytest.param(lambda n: f"ANNA+liste{n}@Example.ORG", id="case-and-tags"),
        pytest.param(lambda n: f"anna+{n}@ｅｘａｍｐｌｅ.org", id="full-width-domain"),
    ],
)
def test_locks_and_limits_count_one_mailbox_once_however_it_is_spelled(
    client, mailoutbox, django_capture_on_commit_callbacks, spelling
):
    """anna+1@… and anna+2@… reach one mailbox: five mails an hour in all, not five each."""
    answers = [
        sign_up(
            client, django_capture_on_commit_callbacks, spelling(n), REMOTE_ADDR=f"203.0.113.{n}"
        )
        for n in range(1, 7)
    ]

    assert [response.status_code for response in answers] == [302] * 5 + [429]
    assert len(mailoutbox) == 5


def test_locks_and_limits_count_an_ipv6_client_by_its_network(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    """One /64 is one client (it holds 2^64 addresses); the next /64 is someone else."""
    answers = [
        sign_up(
            client,
            django_capture_on_commit_callbacks,
            f"leser{n}@example.org",
            REMOTE_ADDR=f"2001:db8:a:b:{n:x}::1",
        )
        for n in range(1, 7)
    ]
    neighbour = sign_up(
        client,
        django_capture_on_commit_callbacks,
        "nachbar@example.org",
        REMOTE_ADDR="2001:db8:a:c::1",
    )

    assert [response.status_code for response in answers] == [302] * 5 + [429]
    assert neighbour.status_code == 302
    assert NewsletterConsent.objects.count() == 6
