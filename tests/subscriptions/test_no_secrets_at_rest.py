"""Issue 20, point 1: no secret at rest. Each link works as the mail server got it; nothing
that the database or the admin's outbox holds works as a link.

Each test requests a link as a person would, then reads every row of every
table and the outbox's admin pages, requests every link found there (none
should be: the outbox keeps a placeholder) and checks that nothing happened,
and only then uses the link that was sent. The receipt link of a declaration
(/abo/erklaerung/<token>/) is signed when made; the database keeps only the
hashes of receipt links sent before (migration 0015).
"""

import importlib
import json
import re

import pytest
from django.apps import apps as django_apps
from django.core.mail import EmailMessage
from django.db import connection
from django.test import Client
from django.utils import timezone

from subscriptions import mail, newsletter
from subscriptions.models import (
    Declaration,
    LinkToken,
    NewsletterConsent,
    NewsletterIssue,
    Order,
    OutgoingMail,
)
from tests.conftest import logged_in
from tests.factories import make_plan, make_subscriber
from tests.subscriptions.helpers import cancellation, link_in, order_form

pytestmark = pytest.mark.django_db

# Every path whose last part is a secret or a signature.
SECRET_PATHS = (
    "/abo/anmelden/",
    "/abo/email/",
    "/abo/bestellung/",
    "/abo/nicht-ich/",
    "/abo/erklaerung/",
    "/newsletter/bestaetigen/",
    "/newsletter/abmelden/",
)
FOUND_LINK = re.compile(
    "(?:" + "|".join(re.escape(path) for path in SECRET_PATHS) + r")[^/\s\"'<>\\]+/"
)
PLACEHOLDER_WORDS = "Link wird beim Versand eingesetzt – aus Sicherheitsgründen nicht gespeichert"


@pytest.fixture
def erika():
    return make_subscriber(name="Erika Mustermann", email="erika@example.org")


@pytest.fixture
def back_office(django_user_model):
    """A superuser: sees every row of the outbox and every field of it."""
    return logged_in(django_user_model.objects.create_superuser("chefin", "chefin@example.org"))


def everything_at_rest(back_office):
    """Every row of every table, and the outbox's list and each mail's page in the admin."""
    texts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            name = connection.ops.quote_name(table)
            cursor.execute(f"SELECT row_to_json(t)::text FROM {name} t")  # noqa: S608 - our tables
            texts += [row for (row,) in cursor.fetchall()]
    pages = ["/admin/subscriptions/outgoingmail/"]
    pages += [f"/admin/subscriptions/outgoingmail/{pk}/change/" for pk in mails()]
    for page in pages:
        response = back_office.get(page)
        assert response.status_code == 200
        texts.append(response.text)
    return "\n".join(texts)


def mails():
    return OutgoingMail.objects.values_list("pk", flat=True)


def assert_nothing_at_rest_works(back_office, secret, state):
    """The secret is nowhere; no link found at rest changes ``state()``, logs in or confirms."""
    at_rest = everything_at_rest(back_office)
    assert secret not in at_rest
    assert secret not in json.dumps(list(OutgoingMail.objects.values()), default=str)
    page = back_office.get(f"/admin/subscriptions/outgoingmail/{max(mails())}/change/").text
    assert PLACEHOLDER_WORDS in page
    before = state()
    stranger = Client()
    for path in set(FOUND_LINK.findall(at_rest)):
        stranger.get(path)
        stranger.post(path, {"email": "x@example.org"})
    assert state() == before
    assert "Angemeldet als" not in stranger.get("/abo/").text


def secret_of(path):
    return path.rstrip("/").rsplit("/", 1)[1]


def test_point_1_the_login_link_works_as_sent_and_nothing_at_rest_logs_in(
    client, erika, back_office, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/abo/", {"email": erika.email})
    [message] = mailoutbox
    path = link_in(message, "/abo/anmelden/")
    assert path in message.alternatives[0][0]

    assert_nothing_at_rest_works(back_office, secret_of(path), lambda: None)

    client.post(path)
    assert "Angemeldet als Erika Mustermann" in client.get("/abo/").text


def test_point_1_the_email_change_link_works_as_sent_and_nothing_at_rest_confirms(
    erika, back_office, mailoutbox, django_capture_on_commit_callbacks
):
    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        browser.post("/abo/", {"email": erika.email})
    browser.post(link_in(mailoutbox[-1], "/abo/anmelden/"))
    with django_capture_on_commit_callbacks(execute=True):
        browser.post("/abo/email/", {"email": "erika.neu@example.org"})
    path = link_in(mailoutbox[-1], "/abo/email/")

    def address():
        erika.refresh_from_db()
        return erika.email

    assert_nothing_at_rest_works(back_office, secret_of(path), address)

    Client().post(path)
    assert address() == "erika.neu@example.org"


def test_point_1_the_newsletter_confirmation_works_as_sent_and_nothing_at_rest_confirms(
    client, back_office, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/newsletter/", {"email": "anna@example.org", "consent": "on"})
    path = link_in(mailoutbox[-1], "/newsletter/bestaetigen/")
    consent = NewsletterConsent.objects.get()

    def confirmed():
        consent.refresh_from_db()
        return consent.confirmed_at

    assert_nothing_at_rest_works(back_office, secret_of(path), confirmed)
    assert confirmed() is None

    Client().post(path)
    assert confirmed() is not None


def test_point_1_the_order_confirmation_works_as_sent_and_nothing_at_rest_confirms(
    client, back_office, mailoutbox, django_capture_on_commit_callbacks
):
    plan = make_plan(name="Print-Magazin, jährlich", price="89.00")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/abo/bestellen/", order_form(plan))
    path = link_in(mailoutbox[-1], "/abo/bestellung/")

    def confirmed():
        return Order.objects.get().confirmed_at

    assert_nothing_at_rest_works(back_office, secret_of(path), confirmed)
    assert confirmed() is None

    with django_capture_on_commit_callbacks(execute=True):
        Client().post(path)
    assert confirmed() is not None


def test_point_1_the_newsletter_unsubscribe_link_and_header_work_as_sent_and_nothing_at_rest(
    back_office, mailoutbox, django_capture_on_commit_callbacks
):
    consent = NewsletterConsent.objects.create(
        email="anna@example.org", wording="Newsletter", confirmed_at=timezone.now(), digest="x"
    )
    issue = NewsletterIssue.objects.create(subject="Ausgabe 7", body="Aus den Ländern.")
    with django_capture_on_commit_callbacks(execute=True):
        newsletter.send_issue(issue, "http://testserver")
    [message] = mailoutbox
    path = link_in(message, "/newsletter/abmelden/")
    assert message.extra_headers["List-Unsubscribe"] == f"<http://testserver{path}>"
    stored = OutgoingMail.objects.get()
    assert stored.headers["List-Unsubscribe"] == f"<{mail.placeholder('unsubscribe_url')}>"

    def unsubscribed():
        consent.refresh_from_db()
        return consent.unsubscribed_at

    assert_nothing_at_rest_works(back_office, secret_of(path), unsubscribed)

    Client().post(path)
    assert unsubscribed() is not None


def test_point_1_the_das_war_ich_nicht_link_works_as_sent_and_nothing_at_rest(
    client, back_office, mailoutbox, django_capture_on_commit_callbacks
):
    max_ = make_subscriber(name="Max Beispiel", email="max.beispiel@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/abo/kuendigen/",
            cancellation(name="Max Beispiel", identifier=max_.email, email="eve@evil.test"),
        )
    [notice] = [m for m in mailoutbox if m.to == [max_.email]]
    path = link_in(notice, "/abo/nicht-ich/")
    stored = OutgoingMail.objects.get(purpose="declaration-notice")
    assert stored.links["dispute_url"]["kind"] == "dispute"

    def disputed():
        return max_.declarations.model.objects.get().disputed_at

    assert_nothing_at_rest_works(back_office, secret_of(path), disputed)
    assert disputed() is None

    with django_capture_on_commit_callbacks(execute=True):
        Client().post(path)
    assert disputed() is not None


def test_point_1_a_retry_mints_a_new_link_and_keeps_none(
    client, erika, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    """The server refused the first attempt: the second sends a link of its own, which works."""
    refusals = iter([ConnectionRefusedError("Mail-Server nicht erreichbar")])

    def send_or_refuse(self, fail_silently=False):
        error = next(refusals, None)
        if error:
            raise error
        return original(self, fail_silently)

    original = EmailMessage.send
    monkeypatch.setattr(EmailMessage, "send", send_or_refuse)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/abo/", {"email": erika.email})
    stored = OutgoingMail.objects.get()
    assert stored.state == OutgoingMail.State.QUEUED and stored.attempts == 1
    assert not mailoutbox

    assert mail.deliver(stored.pk).sent
    path = link_in(mailoutbox[-1], "/abo/anmelden/")
    stored.refresh_from_db()
    assert secret_of(path) not in stored.body_text + stored.body_html
    client.post(path)
    assert "Angemeldet als Erika Mustermann" in client.get("/abo/").text


def test_point_1_the_migration_takes_stored_links_out_and_unsent_mails_still_work(
    client, erika, mailoutbox
):
    """Mails written before: a sent one keeps a note only; a waiting one gets its recipe."""
    migration = importlib.import_module("subscriptions.migrations.0014_outbox_keeps_no_links")
    old_login = LinkToken.issue(erika, LinkToken.Purpose.LOGIN)
    login_url = f"http://testserver/abo/anmelden/{old_login}/"
    unsubscribe_url = "http://testserver" + newsletter.unsubscribe_path(NewsletterConsent(pk=4))

    def written_before(state, url):
        return OutgoingMail.objects.create(
            purpose="login",
            to=erika.email,
            subject="Ihr Anmeldelink",
            body_text=f"Guten Tag,\n\n{url}\n",
            body_html=f'<p><a href="{url}">Anmelden</a></p>',
            headers={"List-Unsubscribe": f"<{unsubscribe_url}>"},
            state=state,
        )

    sent = written_before(OutgoingMail.State.SENT, login_url)
    waiting = written_before(OutgoingMail.State.HELD, login_url)
    plain = OutgoingMail.objects.create(
        purpose="x", to=erika.email, subject="S", body_text="/abo/\n"
    )

    migration.take_links_out(django_apps, None)

    for stored in OutgoingMail.objects.all():
        assert old_login not in stored.body_text + stored.body_html
        assert "/newsletter/abmelden/" not in str(stored.headers)
    sent.refresh_from_db()
    assert "[Link aus Sicherheitsgründen entfernt]" in sent.body_text
    assert sent.links == {}
    plain.refresh_from_db()
    assert plain.body_text == "/abo/\n"
    waiting.refresh_from_db()
    assert PLACEHOLDER_WORDS in waiting.body_text
    assert waiting.links["link1"] == {
        "kind": "account",
        "purpose": "login",
        "subscriber": erika.pk,
        "base": "http://testserver",
    }

    assert mail.release(OutgoingMail.objects.filter(pk=waiting.pk)) == 1
    mail.deliver(waiting.pk)
    path = link_in(mailoutbox[-1], "/abo/anmelden/")
    assert secret_of(path) != old_login
    client.post(path)
    assert "Angemeldet als Erika Mustermann" in client.get("/abo/").text


def test_point_1_the_receipt_link_works_as_sent_and_nothing_at_rest_opens_it(
    client, back_office, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/abo/kuendigen/", cancellation(identifier="erika@example.org"))
    [receipt_mail] = [m for m in mailoutbox if "Eingangsbestätigung" in m.subject]
    path = link_in(receipt_mail, "/abo/erklaerung/")
    declaration = Declaration.objects.get()
    stored = OutgoingMail.objects.get(purpose="declaration")
    assert stored.links["receipt_url"]["kind"] == "receipt"
    at_rest = everything_at_rest(back_office)

    assert secret_of(path) not in at_rest
    stranger = Client()
    for found in set(FOUND_LINK.findall(at_rest)) | {f"/abo/erklaerung/{declaration.token}/"}:
        assert stranger.get(found).status_code == 404, found
    assert "Erika Mustermann" in stranger.get(path).text


def test_point_1_receipt_links_sent_before_still_open_but_are_no_longer_stored(client):
    """Migration 0015 keeps the hash of each token, so the link in the customer's mail works."""
    migration = importlib.import_module("subscriptions.migrations.0015_receipt_links_not_stored")
    declaration = Declaration.objects.create(
        kind=Declaration.Kind.ORDINARY,
        name="Erika Mustermann",
        identifier="erika@example.org",
        contract="alle",
        email="erika@example.org",
        submission="vorher-abgeschickt",
    )
    sent_before = declaration.token

    with connection.cursor() as cursor:
        cursor.execute(migration.HASH_TOKENS)

    declaration.refresh_from_db()
    assert declaration.token != sent_before
    assert sent_before not in json.dumps(list(Declaration.objects.values()), default=str)
    assert "Erika Mustermann" in client.get(f"/abo/erklaerung/{sent_before}/").text
    assert client.get(f"/abo/erklaerung/{declaration.token}/").status_code == 404
