"""Personal data kept only as long as needed (issue 20, point 2): each rule, with a clock."""

import datetime
import io
import secrets

import pytest
from django.core.management import call_command
from django.utils import timezone

from subscriptions import retention
from subscriptions.models import NewsletterConsent, OutgoingMail
from tests.factories import make_subscriber, queue_login_mail

pytestmark = pytest.mark.django_db
NOW = timezone.now()
DAY = datetime.timedelta(days=1)


def sign_up(email, requested_days_ago, confirmed=False, unsubscribed_days_ago=None):
    return NewsletterConsent.objects.create(
        email=email,
        wording="Ja",
        requested_at=NOW - requested_days_ago * DAY,
        requested_from="203.0.113.7",
        confirmed_at=NOW - requested_days_ago * DAY if confirmed else None,
        confirmed_from="198.51.100.23" if confirmed else None,
        unsubscribed_at=None
        if unsubscribed_days_ago is None
        else NOW - unsubscribed_days_ago * DAY,
        digest=secrets.token_hex(32),
    )


def test_point_2_an_unconfirmed_sign_up_and_its_address_go_after_30_days():
    old = sign_up("alt@example.org", requested_days_ago=31)
    recent = sign_up("neu@example.org", requested_days_ago=29)
    confirmed = sign_up("bestaetigt@example.org", requested_days_ago=400, confirmed=True)

    retention.purge(now=NOW)

    assert set(NewsletterConsent.objects.values_list("pk", flat=True)) == {
        recent.pk,
        confirmed.pk,
    }
    assert not NewsletterConsent.objects.filter(pk=old.pk).exists()


def test_point_2_a_consents_ip_addresses_go_three_years_after_it_ended():
    ended_long_ago = sign_up(
        "a@example.org", 2000, confirmed=True, unsubscribed_days_ago=3 * 365 + 1
    )
    ended_lately = sign_up(
        "b@example.org", 2000, confirmed=True, unsubscribed_days_ago=3 * 365 - 1
    )
    running = sign_up("c@example.org", 2000, confirmed=True)

    retention.purge(now=NOW)

    ended_long_ago.refresh_from_db()
    assert (ended_long_ago.requested_from, ended_long_ago.confirmed_from) == (None, None)
    # The proof otherwise stays: what was consented to, and when.
    assert ended_long_ago.wording == "Ja" and ended_long_ago.confirmed_at is not None
    for kept in (ended_lately, running):
        kept.refresh_from_db()
        assert kept.requested_from == "203.0.113.7"


def test_point_2_a_mails_text_goes_90_days_after_sending_and_its_envelope_stays():
    old = queue_login_mail(make_subscriber(email="alt@example.org"))
    recent = queue_login_mail(make_subscriber(email="neu@example.org"))
    waiting = queue_login_mail(make_subscriber(email="wartet@example.org"))
    OutgoingMail.objects.filter(pk=old.pk).update(state="sent", sent_at=NOW - 91 * DAY)
    OutgoingMail.objects.filter(pk=recent.pk).update(state="sent", sent_at=NOW - 89 * DAY)
    OutgoingMail.objects.filter(pk=waiting.pk).update(
        state="queued", next_attempt_at=NOW - 200 * DAY
    )

    retention.purge(now=NOW)

    old.refresh_from_db()
    assert old.body_text == retention.BODY_PURGED and old.body_html == ""
    assert (old.to, old.purpose) == ("alt@example.org", "login")
    assert old.subject.startswith("Ihr Anmeldelink")
    for kept in (recent, waiting):
        kept.refresh_from_db()
        assert "Guten Tag" in kept.body_text


def test_point_2_the_command_counts_first_and_the_worker_runs_it_daily():
    sign_up("alt@example.org", requested_days_ago=31)
    out = io.StringIO()

    call_command("purge_personal_data", "--dry-run", stdout=out)
    assert NewsletterConsent.objects.count() == 1
    call_command("purge_personal_data", stdout=out)

    assert out.getvalue().splitlines()[0] == (
        "1 unbestätigte Newsletter-Anmeldungen gelöscht (würden)"
    )
    assert "1 unbestätigte Newsletter-Anmeldungen gelöscht" in out.getvalue().splitlines()
    assert not NewsletterConsent.objects.exists()
    from portal.lib.tasks import SCHEDULE

    assert SCHEDULE["subscriptions.retention.purge_personal_data"][1] == DAY
