"""The public declaration forms (Kündigung, Widerruf): never refused, without cookies, odd input.

Issue 19, points 6 to 8.
"""

import datetime
import re
import time

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from subscriptions import forgery
from subscriptions.models import (
    Declaration,
    LinkToken,
    NewsletterConsent,
    Order,
    OutgoingMail,
    Subscription,
)
from subscriptions.views.common import SEEN_KEY
from tests.conftest import with_second_factor
from tests.factories import make_plan, make_subscriber, make_subscription
from tests.subscriptions.helpers import cancellation, filled_in, withdrawal
from tests.subscriptions.test_order import order_form

pytestmark = pytest.mark.django_db

CANCEL = "/abo/kuendigen/"
WITHDRAW = "/abo/widerrufen/"
FORMS = [(CANCEL, cancellation), (WITHDRAW, withdrawal)]


@pytest.fixture
def erika():
    return make_subscriber(name="Erika Mustermann", email="erika@example.org")


def log_in(client, subscriber):
    secret = LinkToken.issue(subscriber, LinkToken.Purpose.LOGIN)
    client.post(f"/abo/anmelden/{secret}/")


def unused_for(client, seconds):
    """The browser left alone for ``seconds``: its session was last seen that long ago."""
    session = client.session
    session[SEEN_KEY] -= seconds
    session.save()


def ordered_online(subscriber, days_ago=3):
    return make_subscription(
        subscriber,
        make_plan(),
        starts_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        ordered_online=True,
        status=Subscription.Status.PENDING,
    )


# Point 8: edge inputs


def long_address(length):
    """A syntactically valid e-mail address of exactly ``length`` characters."""
    local = "a" * 64
    rest = length - len(local) - len("@") - len(".de")
    labels = []
    while rest > 63:  # labels of at most 63 characters, the last one at least 1
        labels.append("b" * min(63, rest - 2))
        rest -= len(labels[-1]) + 1
    labels.append("c" * rest)
    address = f"{local}@{'.'.join(labels)}.de"
    assert len(address) == length, len(address)
    return address


@pytest.mark.parametrize(("url", "form"), FORMS)
@pytest.mark.parametrize("length", [255, 300, 320])
def test_point_8_an_email_address_over_254_characters_gets_a_field_error(
    client, url, form, length
):
    address = long_address(length)

    response = client.post(url, form(identifier="K-123456", email=address))

    assert response.status_code == 200
    assert 'id="id_email_error">' in response.text
    assert "höchstens 254 Zeichen" in response.text
    assert f'value="{address}"' in response.text  # what was typed stays
    assert not Declaration.objects.exists()


@pytest.mark.parametrize(("url", "form"), FORMS)
def test_point_8_a_form_from_the_aboverwaltung_posted_after_the_session_expired_is_accepted(
    client, erika, django_capture_on_commit_callbacks, url, form
):
    contract = ordered_online(erika)
    log_in(client, erika)
    page = client.get(f"{url}?abo={contract.pk}")
    typed = filled_in(page)
    unused_for(client, 3600)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{url}?abo={contract.pk}", form(**typed))

    declaration = Declaration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == declaration.get_absolute_url()
    assert declaration.contract == f"{contract.plan.name} (seit {contract.starts_on:%d.%m.%Y})"
    # The name and number on file were filled in: it is hers beyond doubt.
    assert declaration.subscriber == erika
    contract.refresh_from_db()
    assert contract.ends_on is not None


@pytest.mark.parametrize(("url", "form"), FORMS)
@pytest.mark.parametrize("field", ["name", "identifier", "email"])
def test_point_8_a_nul_byte_gets_a_field_error_and_keeps_what_was_typed(client, url, form, field):
    typed = {"name": "Erika Mustermann", "identifier": "K-123456", "email": "erika@example.org"}
    sent = {**typed, field: typed[field][:3] + "\x00" + typed[field][3:]}

    response = client.post(url, form(**sent))

    assert response.status_code == 200
    assert f'<p class="field-error" id="id_{field}_error">' in response.text
    assert "Nullzeichen" in response.text
    for value in typed.values():
        assert f'value="{value}"' in response.text
    assert "\x00" not in response.text
    assert not Declaration.objects.exists()


def test_point_8_a_nul_byte_in_the_reason_gets_a_field_error(client):
    response = client.post(
        CANCEL,
        cancellation(
            kind="extraordinary", reason="Die Behörde\x00 wurde aufgelöst.", identifier="K-123456"
        ),
    )

    assert response.status_code == 200
    assert '<p class="field-error" id="id_reason_error">' in response.text
    assert "Die Behörde wurde aufgelöst.</textarea>" in response.text
    assert not Declaration.objects.exists()


def test_point_8_other_forms_still_refuse_nul_bytes_with_400(client):
    response = client.post("/newsletter/", {"email": "a\x00@example.org", "consent": "on"})

    assert response.status_code == 400


# Point 6: never refuse or lose a declaration


@pytest.mark.parametrize(("url", "form"), FORMS)
def test_point_6_one_shared_office_address_sends_many_declarations_and_each_is_kept(
    client, url, form
):
    answers = [
        client.post(url, form(identifier=f"K-{100000 + n}", name=f"Person {n}")) for n in range(25)
    ]

    assert [a.status_code for a in answers] == [302] * 25
    assert Declaration.objects.count() == 25
    for answer in answers[-5:]:
        receipt = client.get(answer["Location"])
        assert receipt.status_code == 200
        assert "ist eingegangen" in receipt.text
    # Beyond the limit only the mails wait: visible to staff in the outbox.
    confirmations = [d.confirmation.state for d in Declaration.objects.order_by("pk")]
    assert confirmations[:20] == [OutgoingMail.State.QUEUED] * 20
    assert confirmations[20:] == [OutgoingMail.State.HELD] * 5


@pytest.mark.parametrize(("url", "form"), FORMS)
@pytest.mark.parametrize("identifier", ["K-100001", "person@example.org"])
def test_point_6_one_customer_number_or_address_from_many_networks_is_kept_every_time(
    client, url, form, identifier
):
    answers = [
        client.post(url, form(identifier=identifier), REMOTE_ADDR=f"192.0.2.{n}")
        for n in range(1, 26)
    ]

    assert [a.status_code for a in answers] == [302] * 25
    assert Declaration.objects.filter(identifier=identifier).count() == 25
    held = OutgoingMail.objects.filter(state=OutgoingMail.State.HELD, purpose="declaration")
    assert held.count() == 5


@pytest.mark.parametrize(("url", "form"), FORMS)
def test_point_6_a_logged_in_subscriber_beyond_the_limit_is_kept_and_acted_on(
    client, erika, django_capture_on_commit_callbacks, url, form
):
    contracts = [ordered_online(erika) for _ in range(22)]
    log_in(client, erika)

    for contract in contracts:
        page = client.get(f"{url}?abo={contract.pk}")
        typed = filled_in(page)
        with django_capture_on_commit_callbacks(execute=True):
            answer = client.post(f"{url}?abo={contract.pk}", form(**typed))
        assert answer.status_code == 302

    assert Declaration.objects.filter(subscriber=erika).count() == 22
    for contract in contracts:
        contract.refresh_from_db()
        assert contract.ends_on is not None
    assert Declaration.objects.filter(confirmation__state=OutgoingMail.State.HELD).count() == 2


def test_point_6_held_mails_are_listed_for_staff(client, subscription_staff):
    for n in range(21):
        client.post(CANCEL, cancellation(identifier=f"K-{100000 + n}"))
    client.force_login(subscription_staff)
    with_second_factor(client, subscription_staff)

    page = client.get("/admin/subscriptions/outgoingmail/", {"state__exact": "held"})

    assert page.status_code == 200
    assert "Zurückgehalten" in page.text
    assert page.context["cl"].result_count == 1


def test_point_6_a_withdrawal_sent_from_the_aboverwaltung_after_the_period_is_recorded(
    client, erika, django_capture_on_commit_callbacks
):
    contract = ordered_online(erika, days_ago=10)
    log_in(client, erika)
    page = client.get(f"{WITHDRAW}?abo={contract.pk}")
    typed = filled_in(page)
    # The tab stays open past the fourteenth day.
    earlier = timezone.localdate() - datetime.timedelta(days=20)
    # Informed properly and the first issue received then: the period has run out.
    Subscription.objects.filter(pk=contract.pk).update(
        starts_on=earlier,
        concluded_on=earlier,
        withdrawal_informed_on=earlier,
        first_issue_received_on=earlier,
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{WITHDRAW}?abo={contract.pk}", withdrawal(**typed))

    declaration = Declaration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == declaration.get_absolute_url()
    assert declaration.effects.get().outcome == "too_late"


def test_point_6_the_same_form_sent_again_with_another_contract_is_a_second_declaration(
    client, erika, django_capture_on_commit_callbacks
):
    make_plan(slug="print", name="Print-Magazin")
    first = cancellation(identifier=erika.customer_number)
    # Back in the browser, another contract chosen: the same form, with its key, sent again.
    changed = {**first, "contract": "plan:print"}

    with django_capture_on_commit_callbacks(execute=True):
        answers = [client.post(CANCEL, data) for data in [first, first, changed, changed]]

    assert [d.contract for d in Declaration.objects.order_by("pk")] == [
        "Alle meine Abonnements",
        "Print-Magazin",
    ]
    assert answers[0]["Location"] == answers[1]["Location"]
    assert answers[2]["Location"] == answers[3]["Location"] != answers[0]["Location"]


# Point 7: works with cookies blocked


def cookieless():
    """A browser that blocks cookies: it never sends one back."""
    browser = Client(enforce_csrf_checks=True)
    browser.cookies.clear()
    return browser


def hidden_fields(html):
    """The hidden fields of the page's form, as a browser sends them back."""
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"}


@pytest.mark.parametrize(("url", "form"), FORMS)
def test_point_7_the_declaration_forms_set_no_cookie_and_carry_their_own_token(url, form):
    page = cookieless().get(url)

    assert page.status_code == 200
    assert not page.cookies
    assert "Set-Cookie" not in page
    assert "csrfmiddlewaretoken" not in page.text
    assert set(hidden_fields(page.text)) == {"form_token", "submission"}


@pytest.mark.parametrize(("url", "form"), FORMS)
def test_point_7_a_browser_that_blocks_cookies_declares_and_gets_its_receipt(
    erika, django_capture_on_commit_callbacks, url, form
):
    browser = cookieless()
    page = browser.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        answer = browser.post(
            url, form(identifier=erika.customer_number, **hidden_fields(page.text)), **SAME_ORIGIN
        )

    declaration = Declaration.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == declaration.get_absolute_url()
    assert declaration.submission == hidden_fields(page.text)["submission"]
    receipt = browser.get(answer["Location"])
    assert "ist eingegangen" in receipt.text
    assert not answer.cookies and not receipt.cookies


@pytest.mark.parametrize(("url", "form"), FORMS)
@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "https://evil.example", "HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_ORIGIN": "null", "HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},  # another host under our domain
    ],
)
def test_point_7_another_sites_post_stores_nothing_and_the_form_comes_back_as_typed(
    erika, url, form, headers
):
    browser = cookieless()
    sent = form(identifier=erika.customer_number, name="Erika Mustermann", email="e@example.org")

    answer = browser.post(url, sent, **headers)

    assert answer.status_code == 403
    assert not Declaration.objects.exists()
    assert "von einer anderen Website aus an uns geschickt" in answer.text
    for value in [erika.customer_number, "Erika Mustermann", "e@example.org"]:
        assert f'value="{value}"' in answer.text
    # A fresh key and token: one click on our own page sends it.
    again = hidden_fields(answer.text)
    assert again["submission"] != sent["submission"]
    resent = browser.post(url, {**sent, **again}, **SAME_ORIGIN)
    assert resent.status_code == 302
    assert Declaration.objects.get().identifier == erika.customer_number


@pytest.mark.parametrize(
    ("origin", "trusted"),
    [
        ("http://testserver", []),
        ("https://abo.verwaltung.example", ["https://abo.verwaltung.example"]),
        ("https://abo.verwaltung.example", ["https://*.verwaltung.example"]),
    ],
)
def test_point_7_our_own_origin_and_trusted_ones_are_taken(settings, origin, trusted):
    settings.CSRF_TRUSTED_ORIGINS = trusted

    answer = cookieless().post(
        CANCEL,
        cancellation(identifier="K-123456"),
        HTTP_ORIGIN=origin,
        HTTP_SEC_FETCH_SITE="same-site",
    )

    assert answer.status_code == 302
    assert Declaration.objects.count() == 1


def test_point_7_a_post_without_one_of_our_tokens_stores_nothing_and_keeps_what_was_typed():
    browser = cookieless()
    key = "k" * 32
    good = forgery.token("cancel", key)
    tokens = {
        "none": "",
        "altered": good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB"),
        "of the withdrawal form": forgery.token("withdraw", key),
        "of another form's key": forgery.token("cancel", "x" * 32),
        "signed for something else": signing.dumps(["cancel", key, None]),
    }

    for name, token in tokens.items():
        answer = browser.post(
            CANCEL,
            cancellation(identifier="K-123456", submission=key, form_token=token),
            **SAME_ORIGIN,
        )
        assert answer.status_code == 403, name
        assert "ohne sein Sicherheitsmerkmal" in answer.text
        assert 'value="K-123456"' in answer.text
    assert not Declaration.objects.exists()


def test_point_7_a_form_left_open_for_days_is_still_received(monkeypatch):
    key = "k" * 32
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now - 3 * 24 * 3600)
    old = forgery.token("cancel", key)
    monkeypatch.undo()

    answer = cookieless().post(
        CANCEL, cancellation(identifier="K-123456", submission=key, form_token=old), **SAME_ORIGIN
    )

    assert answer.status_code == 302
    assert Declaration.objects.get().submission == key


def test_point_7_only_a_recent_token_made_for_the_login_lends_it_to_a_declaration(
    client, erika, django_capture_on_commit_callbacks, monkeypatch
):
    contract = make_subscription(erika, make_plan())
    log_in(client, erika)
    page = client.get(CANCEL)  # a page of hers: its token names her
    # "E. Mustermann" is not the whole name on file: only the login makes it hers.
    mine = filled_in(page, name="E. Mustermann")
    # Another site's page, with a token fetched for nobody, in a browser that sends the
    # login along anyway (no SameSite, no Origin).
    forged = cancellation(identifier=erika.customer_number, name="E. Mustermann")
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now - 2 * 3600)
    stale = {**mine, "submission": "s" * 32}
    stale["form_token"] = forgery.token("cancel", stale["submission"], erika)
    monkeypatch.undo()

    with django_capture_on_commit_callbacks(execute=True):
        for data in [forged, stale]:
            assert client.post(CANCEL, data).status_code == 302
    contract.refresh_from_db()
    assert contract.ends_on is None
    assert Declaration.objects.filter(subscriber__isnull=True).count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        client.post(CANCEL, mine)
    contract.refresh_from_db()
    assert contract.ends_on is not None


# A CSRF failure anywhere else


def test_point_7_a_form_needing_the_cookie_gets_a_german_page_with_what_was_typed():
    browser = cookieless()
    plan = make_plan(orderable=True)
    typed = order_form(plan, submission="k" * 32)

    answer = browser.post("/abo/bestellen/", typed, **SAME_ORIGIN)

    assert answer.status_code == 403
    assert '<h1 class="page-title">Ihre Eingabe wurde nicht gespeichert</h1>' in answer.text
    assert "vermutlich blockiert er Cookies" in answer.text
    for label, value in [
        ("Name", "Erika Mustermann"),
        ("Straße und Hausnummer", "Rathausplatz 1"),
        ("E-Mail-Adresse", "erika@example.org"),
    ]:
        assert f"<dt>{label}</dt>\n        <dd>{value}</dd>" in answer.text
    assert "k" * 32 not in answer.text  # our own hidden key is no typing
    assert "<dt>terms</dt>" not in answer.text  # a tick, ticked again on the form
    assert "<dt>plan</dt>" not in answer.text
    assert 'href="/abo/bestellen/">Zurück zum Formular</a>' in answer.text
    assert 'href="/abo/kuendigen/">kündigen</a>' in answer.text
    assert not Order.objects.exists()
    assert not answer.cookies
    assert "CSRF" not in answer.text


def test_point_7_the_csrf_page_repeats_no_password_and_nothing_another_site_sent():
    browser = cookieless()

    login = browser.post(
        "/admin/login/", {"username": "redakteurin", "password": "geheim-123"}, **SAME_ORIGIN
    )
    forged = browser.post(
        "/newsletter/",
        {"email": "Rufen Sie 0900-666 an", "consent": "on"},
        HTTP_ORIGIN="https://evil.example",
    )

    assert login.status_code == 403
    assert "redakteurin" in login.text
    assert "geheim-123" not in login.text
    assert forged.status_code == 403
    assert "von einer anderen Website aus an uns geschickt" in forged.text
    assert "0900" not in forged.text
    assert not NewsletterConsent.objects.exists()


def test_point_7_a_page_left_open_while_logging_in_elsewhere_is_explained(client):
    client.handler.enforce_csrf_checks = True
    client.get("/newsletter/")  # the form and its cookie

    answer = client.post(
        "/newsletter/",
        {"email": "leser@example.org", "consent": "on", "csrfmiddlewaretoken": "x" * 64},
        **SAME_ORIGIN,
    )

    assert answer.status_code == 403
    assert "zu lange geöffnet" in answer.text
    assert "leser@example.org" in answer.text
