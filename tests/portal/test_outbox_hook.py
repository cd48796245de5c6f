"""portal.lib.outbox (issue 24, point 4): apps mail through the outbox without importing it."""

import pytest
from django.core import mail as django_mail

from portal.lib import outbox
from subscriptions.models import OutgoingMail

pytestmark = pytest.mark.django_db


def test_point_4_mail_goes_through_the_outbox_the_subscriptions_app_registered(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.queue_mail("chefin@example.org", "Zur Prüfung: X", "Bitte prüfen.", "Redaktion")

    stored = OutgoingMail.objects.get()
    assert (stored.to, stored.subject, stored.state) == (
        "chefin@example.org",
        "Zur Prüfung: X",
        OutgoingMail.State.SENT,
    )
    assert [m.subject for m in django_mail.outbox] == ["Zur Prüfung: X"]


def test_point_4_without_an_outbox_mail_is_sent_after_the_commit(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(outbox, "_queue", None)

    with django_capture_on_commit_callbacks(execute=False) as waiting:
        outbox.queue_mail("chefin@example.org", "Zur Prüfung: X", "Bitte prüfen.", "Redaktion")
    assert django_mail.outbox == []  # nothing before the commit
    for callback in waiting:
        callback()

    assert [m.to for m in django_mail.outbox] == [["chefin@example.org"]]
    assert not OutgoingMail.objects.exists()
