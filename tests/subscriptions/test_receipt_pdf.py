"""The receipt as PDF: rendered once, kept where nothing serves it, within the render slots."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.utils import timezone

from portal.lib import pdf
from subscriptions.models import Declaration, Effect
from tests.articles.test_print_pdf import the_only_slot_taken
from tests.factories import make_plan, make_subscriber, make_subscription
from tests.portal.test_settings import settings_in
from tests.subscriptions.helpers import german, pdf_text, received_with_seconds, submission_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def declaration():
    """Erika's cancellation as received, not yet matched to her contract."""
    return Declaration.objects.create(
        kind=Declaration.Kind.ORDINARY,
        name="Erika Mustermann",
        identifier="K-100001",
        contract="Print-Magazin, jährlich",
        email="erika@example.org",
        submission=submission_key(),
    )


def receipt_pdf(client, declaration):
    return client.get(declaration.get_absolute_url() + "pdf/")


@pytest.fixture
def renderings(monkeypatch):
    """How often WeasyPrint was asked to render (it still renders)."""
    calls = []
    real = pdf.render

    def counted(html, base_url):
        calls.append(html)
        return real(html, base_url)

    monkeypatch.setattr(pdf, "render", counted)
    return calls


def test_the_second_receipt_pdf_request_does_not_render(
    client, declaration, renderings, django_assert_max_num_queries
):
    first = receipt_pdf(client, declaration)

    with django_assert_max_num_queries(2):  # the declaration (its link) and what it did
        second = receipt_pdf(client, declaration)

    assert len(renderings) == 1
    assert (first.status_code, second.status_code) == (200, 200)
    assert (first["X-PDF-Cache"], second["X-PDF-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert second["Content-Disposition"] == first["Content-Disposition"]
    assert "no-cache" in second["Cache-Control"]  # personal: no proxy keeps it


def test_a_receipt_pdf_waits_for_the_same_render_slots_as_article_pdfs(client, declaration):
    with the_only_slot_taken():
        busy = receipt_pdf(client, declaration)

    assert busy.status_code == 503
    assert busy["Retry-After"] == "5"
    page = busy.content.decode()
    assert "Das PDF wird gerade erstellt" in page
    assert "eingegangen und wirksam" in page
    assert f'href="{declaration.get_absolute_url()}"' in page


def test_a_stored_receipt_pdf_is_served_while_all_slots_are_taken(client, declaration):
    receipt_pdf(client, declaration)

    with the_only_slot_taken():
        again = receipt_pdf(client, declaration)

    assert again.status_code == 200
    assert again["X-PDF-Cache"] == "hit"


def test_a_stored_receipt_pdf_is_handed_out_only_with_its_link(client, declaration):
    assert receipt_pdf(client, declaration).status_code == 200

    for guess in (
        "geraten",
        declaration.receipt_token[:-1],
        declaration.pk,
        f"{declaration.pk:06d}",
    ):
        assert client.get(f"/abo/erklaerung/{guess}/pdf/").status_code == 404
    # Kept on the server's own disk, not among the files anyone may fetch.
    private = Path(storages["private"].location)
    [stored] = list(private.glob(f"receipts/{declaration.pk}/*.pdf"))
    assert not stored.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    # (Article PDFs of other tests may lie in the media folder; no copy of this one.)
    assert not list(Path(settings.MEDIA_ROOT).rglob(stored.name))
    name = stored.relative_to(private).as_posix()
    assert client.get(f"/media/{name}").status_code == 404


def test_a_receipt_matched_later_by_staff_stays_the_stored_pdf_and_names_no_contract(
    client, declaration, renderings
):
    # Whoever typed the form holds this link: the receipt shows what was
    # declared and when, never what it did (issue 25, point 1), so a match
    # by staff changes nothing in it and it is not rendered again.
    before = receipt_pdf(client, declaration)
    subscription = make_subscription(make_subscriber(), make_plan(name="Kombi-Abo Spezial"))
    ends_on = timezone.localdate() + datetime.timedelta(days=30)
    Effect.objects.create(
        declaration=declaration,
        subscription=subscription,
        outcome=Effect.Outcome.ENDS,
        ends_on=ends_on,
    )

    after = receipt_pdf(client, declaration)

    assert after["X-PDF-Cache"] == "hit"
    assert after.content == before.content
    page = pdf_text(after.content)[0]
    assert received_with_seconds(declaration) in page
    assert german(ends_on) not in page
    assert "Kombi-Abo Spezial" not in page
    assert len(renderings) == 1


def test_the_private_folder_may_not_lie_inside_the_media_folder(tmp_path):
    result = settings_in(
        PORTAL_MEDIA_ROOT=str(tmp_path), PORTAL_PRIVATE_ROOT=str(tmp_path / "private")
    )

    assert result.returncode != 0
    assert "PORTAL_PRIVATE_ROOT" in result.stderr
