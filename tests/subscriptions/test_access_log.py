"""Who looked (issue 20, point 5): staff views and exports of subscriber data are logged per
staff member, readable by the Chefredaktion and Datenschutz, append-only, purged after a period."""

import datetime
import secrets

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from subscriptions import retention
from subscriptions.models import (
    AccessLog,
    AddressChange,
    Declaration,
    NewsletterConsent,
    Order,
    OutgoingMail,
    Plan,
)
from tests.conftest import logged_in, make_staff
from tests.factories import make_plan, make_subscriber, make_subscription

pytestmark = pytest.mark.django_db

LOG = "/admin/subscriptions/accesslog/"
DAY = datetime.timedelta(days=1)


@pytest.fixture
def clerk(subscription_staff):
    return logged_in(subscription_staff)


@pytest.fixture
def privacy_officer(django_user_model):
    return make_staff(django_user_model, "datenschutz", "Datenschutz")


def order_for(subscriber):
    return Order.objects.create(
        plan=make_plan(),
        email=subscriber.email,
        name=subscriber.name,
        street="Neue Straße 2",
        postcode="54321",
        city="Neustadt",
        submission=secrets.token_hex(16),
    )


# Each model with subscriber data, and a record of it as the admin shows it.
RECORDS = {
    "subscriber": lambda erika: erika,
    "subscription": lambda erika: make_subscription(erika),
    "order": order_for,
    "addresschange": lambda erika: AddressChange.objects.create(
        subscriber=erika,
        order=order_for(erika),
        name=erika.name,
        street="Neue Straße 2",
        postcode="54321",
        city="Neustadt",
    ),
    "declaration": lambda erika: Declaration.objects.create(
        kind=Declaration.Kind.ORDINARY,
        name=erika.name,
        identifier=erika.customer_number,
        contract="alle",
        email=erika.email,
        submission=secrets.token_hex(16),
        subscriber=erika,
    ),
    "newsletterconsent": lambda erika: NewsletterConsent.objects.create(
        email=erika.email, wording="Ja", digest=secrets.token_hex(32)
    ),
    "outgoingmail": lambda erika: OutgoingMail.objects.create(
        purpose="login", to=erika.email, subject="Ihr Anmeldelink", body_text="Guten Tag"
    ),
}


@pytest.mark.parametrize("model", RECORDS)
def test_point_5_each_change_form_shown_writes_one_row_naming_the_staff_member(
    model, clerk, subscription_staff
):
    record = RECORDS[model](make_subscriber(name="Erika Mustermann"))

    response = clerk.get(f"/admin/subscriptions/{model}/{record.pk}/change/")

    assert response.status_code == 200
    entry = AccessLog.objects.get()
    assert entry.user == subscription_staff
    assert entry.action == AccessLog.Action.VIEW
    assert (entry.model, entry.object_pk) == (f"subscriptions.{model}", str(record.pk))
    assert entry.label == str(record)
    assert entry.ip == "127.0.0.1"
    assert timezone.now() - entry.at < datetime.timedelta(minutes=1)


def test_point_5_a_list_or_a_record_not_found_writes_nothing(clerk):
    make_subscriber()

    assert clerk.get("/admin/subscriptions/subscriber/").status_code == 200
    clerk.get("/admin/subscriptions/subscriber/999999/change/")

    assert not AccessLog.objects.exists()


def test_point_5_the_print_address_csv_is_logged_with_its_row_count(clerk, subscription_staff):
    plan = make_plan(kind=Plan.Kind.PRINT)
    for _ in range(3):
        make_subscription(plan=plan)

    response = clerk.get("/admin/subscriptions/subscription/lieferanschriften.csv")

    assert len(b"".join(response.streaming_content).decode().splitlines()) == 1 + 3
    entry = AccessLog.objects.get()
    assert (entry.user, entry.action, entry.rows) == (subscription_staff, "csv", 3)
    assert entry.label == "Lieferanschriften Print"


def test_point_5_the_data_export_is_logged_as_page_and_as_file(clerk, subscription_staff):
    erika = make_subscriber(name="Erika Mustermann")
    base = f"/admin/subscriptions/subscriber/{erika.pk}/"

    clerk.get(f"{base}datenauskunft/")
    clerk.get(f"{base}datenauskunft.json")

    entries = list(AccessLog.objects.order_by("id"))
    assert [e.action for e in entries] == ["disclosure", "disclosure-json"]
    assert {(e.user, e.object_pk, e.label) for e in entries} == {
        (subscription_staff, str(erika.pk), str(erika))
    }


def test_point_5_the_log_is_shown_to_the_chefredaktion_and_datenschutz_not_to_the_clerks(
    chief, privacy_officer, subscription_staff, clerk
):
    erika = make_subscriber(name="Erika Mustermann")
    clerk.get(f"/admin/subscriptions/subscriber/{erika.pk}/change/")

    for reader in (chief, privacy_officer):
        page = logged_in(reader).get(LOG)
        assert page.status_code == 200
        text = page.content.decode()
        assert "Zugriffsprotokoll" in text
        assert "aboservice" in text and str(erika) in text
    assert clerk.get(LOG).status_code == 403
    # The Chefredaktion sees who looked, not the subscribers themselves.
    assert logged_in(chief).get("/admin/subscriptions/subscriber/").status_code == 403


def test_point_5_nobody_adds_changes_or_deletes_the_log_in_the_admin(django_user_model, chief):
    boss = django_user_model.objects.create_superuser("root", "root@example.org", "x" * 20)
    entry = AccessLog.record(chief, AccessLog.Action.VIEW, make_subscriber())
    admin = logged_in(boss)

    listing = admin.get(LOG).content.decode()
    assert "action-select" not in listing  # no "delete selected" or other action
    assert admin.get(f"{LOG}add/").status_code == 403
    shown = admin.get(f"{LOG}{entry.pk}/change/").content.decode()
    assert 'name="_save"' not in shown and "deletelink" not in shown
    assert admin.post(f"{LOG}{entry.pk}/change/", {"label": "anders"}).status_code == 403
    assert admin.post(f"{LOG}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.label != "anders"


def test_point_5_the_database_refuses_to_change_or_delete_an_entry(chief):
    entry = AccessLog.record(chief, AccessLog.Action.VIEW, make_subscriber())
    attempts = [
        lambda: AccessLog.objects.filter(pk=entry.pk).update(label="niemand"),
        lambda: AccessLog.objects.filter(pk=entry.pk).update(at=timezone.now() - 3000 * DAY),
        lambda: AccessLog.objects.filter(pk=entry.pk).delete(),
        lambda: entry.delete(),
    ]
    for attempt in attempts:
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    # Opening the purge with a short period of one's own does not work either.
    with pytest.raises(DatabaseError, match="shorter than a year"), transaction.atomic():
        AccessLog.purge(AccessLog.objects.all(), 30)
    with connection.cursor() as cursor, transaction.atomic():
        cursor.execute("SELECT set_config('portal.access_log_purge_days', '730', true)")
        cursor.execute("DELETE FROM subscriptions_accesslog")
    # ... and the purge's own opening deletes only what is past the period.
    assert AccessLog.objects.filter(pk=entry.pk, label=entry.label).exists()


def test_point_5_entries_are_purged_after_two_years(chief, settings):
    assert settings.RETENTION_ACCESS_LOG_DAYS == 730
    now = timezone.now()
    subscriber = make_subscriber()
    old = AccessLog.objects.create(user=chief, action="view", label="alt", at=now - 731 * DAY)
    kept = AccessLog.objects.create(user=chief, action="view", label="neu", at=now - 729 * DAY)
    recent = AccessLog.record(chief, AccessLog.Action.VIEW, subscriber)

    assert dict(retention.purge(now, dry_run=True))["Einträge im Zugriffsprotokoll gelöscht"] == 1
    done = dict(retention.purge(now))

    assert done["Einträge im Zugriffsprotokoll gelöscht"] == 1
    assert set(AccessLog.objects.values_list("pk", flat=True)) == {kept.pk, recent.pk}
    assert not AccessLog.objects.filter(pk=old.pk).exists()
    # Afterwards the log is closed again.
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.filter(pk=kept.pk).delete()
