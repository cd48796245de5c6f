"""Nothing distracts on the way to a contract's start or end (issue 19, point 10).

No ads, no IT-Guide box and no "Aktuelle Meldungen" on the order,
cancellation, withdrawal and receipt pages; "Welcher Vertrag?" guesses
nothing for a subscriber with several; the receipt says it was declared
with the button and when it arrived; and those whose declaration is not
matched at once are told when the end date follows.
"""

import datetime
import re
import zoneinfo

import pytest
from django.utils import timezone

from subscriptions.models import Declaration, Subscription
from tests.factories import (
    make_article,
    make_campaign,
    make_plan,
    make_subscriber,
    make_subscription,
    make_vendor,
)
from tests.subscriptions.helpers import (
    cancellation,
    german,
    link_in,
    order_form,
    submission_key,
    withdrawal,
)

pytestmark = pytest.mark.django_db

CANCEL = "/abo/kuendigen/"
WITHDRAW = "/abo/widerrufen/"
ORDER = "/abo/bestellen/"
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")

# What a reader page has around its content, and these must not.
DISTRACTIONS = {
    "an ad": 'class="ad ad--',
    "the IT-Guide box": "IT-Guide Plus",
    "Aktuelle Meldungen": "Aktuelle Meldungen",
    "the sidebar": "layout__sidebar",
}


@pytest.fixture
def everything_around(client):
    """Ads in every place, an IT-Guide Plus vendor, a news item: all a reader page shows."""
    make_campaign(slots=("leaderboard", "sidebar-top", "sidebar-bottom"))
    make_vendor(name="Beispiel-Software GmbH", plus=True)
    make_article(headline="Digitalstrategie überarbeitet")
    home = client.get("/").text
    for name, marker in DISTRACTIONS.items():
        assert marker in home, f"the home page has no {name}"


def shown(html):
    return [name for name, marker in DISTRACTIONS.items() if marker in html]


def order_pages(client, mailoutbox, on_commit):
    plan = make_plan(name="Print-Magazin, jährlich")
    form = client.get(ORDER).text
    data = order_form(plan, organisation="")
    with on_commit(execute=True):
        ordered = client.post(ORDER, data, follow=True).text
    confirm_link = link_in(mailoutbox[-1], "/abo/bestellung/")
    to_confirm = client.get(confirm_link).text
    with on_commit(execute=True):
        confirmed = client.post(confirm_link, follow=True).text
    return {"order": form, "ordered": ordered, "confirm": to_confirm, "confirmed": confirmed}


def declaration_pages(client, on_commit):
    cancel_form = client.get(CANCEL).text
    withdraw_form = client.get(WITHDRAW).text
    with on_commit(execute=True):
        cancelled = client.post(CANCEL, cancellation(identifier="K-999999"), follow=True).text
        withdrawn = client.post(WITHDRAW, withdrawal(identifier="K-999999"), follow=True).text
    return {
        "cancel": cancel_form,
        "withdraw": withdraw_form,
        "cancellation receipt": cancelled,
        "withdrawal receipt": withdrawn,
    }


def test_point_10_no_ads_no_it_guide_no_latest_news_on_the_way_to_order_cancel_or_withdraw(
    client, everything_around, mailoutbox, django_capture_on_commit_callbacks
):
    pages = {
        **order_pages(client, mailoutbox, django_capture_on_commit_callbacks),
        **declaration_pages(client, django_capture_on_commit_callbacks),
    }

    assert {name: shown(html) for name, html in pages.items()} == {name: [] for name in pages}
    for name, html in pages.items():
        # What the law wants on every page stays: the two contract buttons in the footer.
        footer = html[html.index('<footer class="site-footer">') :]
        assert f'href="{CANCEL}">Verträge hier kündigen</a>' in footer, name
        assert f'href="{WITHDRAW}">Vertrag widerrufen</a>' in footer, name


def test_point_10_other_pages_keep_their_ads_and_boxes(client, everything_around):
    for url in ["/", "/archiv/", "/newsletter/", "/abo/"]:
        assert shown(client.get(url).text) == list(DISTRACTIONS), url


# "Welcher Vertrag?"


def logged_in_as(client, subscriber, on_commit, mailoutbox):
    with on_commit(execute=True):
        client.post("/abo/", {"email": subscriber.email})
    client.post(link_in(mailoutbox[-1], "/abo/anmelden/"))


def contract_options(html):
    select = re.search(r'<select name="contract"[^>]*>(.*?)</select>', html, re.S)[1]
    return re.findall(r'<option value="([^"]*)"( selected)?>', select)


def test_point_10_a_subscriber_with_several_contracts_finds_none_preselected(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    erika = make_subscriber(name="Erika Mustermann", email="erika@example.org")
    make_subscription(erika, make_plan(name="Print-Magazin, jährlich"))
    make_subscription(erika, make_plan(name="Digital-Abo, monatlich"))
    logged_in_as(client, erika, django_capture_on_commit_callbacks, mailoutbox)

    for url in [CANCEL, WITHDRAW]:
        options = contract_options(client.get(url).text)
        # Only "Bitte wählen" shows; no answer is chosen for her.
        assert [value for value, selected in options if selected] == [""], url
        assert len(options) == 4  # "Bitte wählen", "Alle meine Abonnements" and the two

    response = client.post(CANCEL, cancellation(identifier=erika.customer_number, contract=""))
    assert response.status_code == 200
    assert "Bitte wählen Sie, welchen Vertrag Sie meinen." in response.text
    assert 'value="Erika Mustermann"' in response.text  # what was typed stays
    assert not Declaration.objects.exists()


def test_point_10_a_subscriber_with_one_contract_or_one_chosen_finds_it_selected(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    erika = make_subscriber(name="Erika Mustermann", email="erika@example.org")
    only = make_subscription(erika, make_plan(name="Print-Magazin, jährlich"))
    logged_in_as(client, erika, django_capture_on_commit_callbacks, mailoutbox)

    assert (f"abo:{only.pk}", " selected") in contract_options(client.get(CANCEL).text)

    other = make_subscription(erika, make_plan(name="Digital-Abo, monatlich"))
    chosen = contract_options(client.get(f"{CANCEL}?abo={other.pk}").text)
    assert [value for value, selected in chosen if selected] == [f"abo:{other.pk}"]


# The receipt


def test_point_10_the_receipt_says_it_came_by_the_button_with_date_and_time_in_berlin(
    client, django_capture_on_commit_callbacks
):
    # 23:30:05 UTC on 31 December is 00:30:05 on New Year's Day in Berlin.
    received = datetime.datetime(2026, 12, 31, 23, 30, 5, tzinfo=datetime.UTC)
    declaration = Declaration.objects.create(
        kind=Declaration.Kind.ORDINARY,
        name="Erika Mustermann",
        identifier="K-123456",
        contract="Alle meine Abonnements",
        email="erika@example.org",
        received_at=received,
        submission=submission_key(),
    )

    page = client.get(declaration.get_absolute_url()).text

    assert (
        "Ihre Kündigung ist über die Kündigungsschaltfläche „jetzt kündigen“ eingegangen "
        "am 1. Januar 2027 um 00:30:05 Uhr."
    ) in page


def test_point_10_the_receipt_and_its_mail_say_so_for_a_real_cancellation(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CANCEL, cancellation(identifier="K-999999"))
    declaration = Declaration.objects.get()
    local = timezone.localtime(declaration.received_at, BERLIN)
    sentence = (
        "Ihre Kündigung ist über die Kündigungsschaltfläche „jetzt kündigen“ eingegangen "
        f"am {german(local)} um {local:%H:%M:%S} Uhr."
    )

    assert sentence in client.get(response["Location"]).text
    [receipt] = mailoutbox
    assert sentence in receipt.body


def test_point_10_a_withdrawal_receipt_says_it_came_by_the_withdrawal_button(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(WITHDRAW, withdrawal(identifier="K-999999"))

    page = client.get(response["Location"]).text
    assert "Ihr Widerruf ist über die Widerrufsschaltfläche eingegangen am " in page


# Not matched at once: when the end date follows


WHEN = "dann kommt sie spätestens zwei Arbeitstage nach dem Eingang"


def test_point_10_an_unmatched_declaration_is_told_when_the_end_date_follows(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    erika = make_subscriber(name="Erika Mustermann", email="erika@example.org")
    contract = make_subscription(erika, make_plan(name="Print-Magazin, jährlich"))

    # Her customer number with a name that is not the one on file: staff must look.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CANCEL,
            cancellation(
                identifier=erika.customer_number, name="E. Mustermann", email="privat@example.org"
            ),
        )

    contract.refresh_from_db()
    assert contract.status == Subscription.Status.ACTIVE
    page = client.get(response["Location"]).text
    assert WHEN in page
    [receipt] = [m for m in mailoutbox if m.to == ["privat@example.org"]]
    assert WHEN in receipt.body
    [notice] = [m for m in mailoutbox if m.to == [erika.email]]
    assert (
        "Wir ordnen sie von Hand zu und schreiben Ihnen spätestens zwei Arbeitstage nach "
        "ihrem Eingang, wann Ihr Vertrag endet."
    ) in notice.body
