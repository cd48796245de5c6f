"""The sample Datenschutzerklärung says what the portal really does (issue 20, point 7)."""

import pytest
from django.test import override_settings

from portal.models import LegalText

pytestmark = pytest.mark.django_db


def privacy_page(client):
    response = client.get("/datenschutz/")
    assert response.status_code == 200
    return response.content.decode()


def test_point_7_the_sample_names_data_purposes_legal_bases_and_rights(client):
    html = privacy_page(client)

    assert "Mustertext" in html
    for words in [
        "IP-Adresse",  # what a reader's browser sends, and the newsletter's proof
        "Art. 6 Abs. 1 lit. b DSGVO",  # contract
        "Art. 6 Abs. 1 lit. c DSGVO",  # legal duties: § 312k BGB, § 257 HGB, § 147 AO
        "Art. 6 Abs. 1 lit. a",  # newsletter consent
        "Art. 6 Abs. 1 lit. f DSGVO",  # security, counting ads
        "Auskunft (Art. 15 DSGVO)",
        "Datenübertragbarkeit (Art. 20)",
        "Art. 77 DSGVO",
        "Meine Daten",
    ]:
        assert words in html, words


def test_point_7_the_retention_periods_are_those_of_the_settings(client, settings):
    settings.RETENTION_UNCONFIRMED_SIGNUP_DAYS = 21
    settings.RETENTION_MAIL_BODY_DAYS = 60
    settings.RETENTION_CONSENT_IP_YEARS = 4
    settings.RETENTION_ACCESS_LOG_DAYS = 1000

    html = privacy_page(client)

    assert "Wie lange wir Daten speichern" in html
    assert "<td>21 Tage</td>" in html
    assert "<td>60 Tage nach dem Versand</td>" in html
    assert "4 Jahre nach dem Ende der Einwilligung" in html
    assert "<td>1000 Tage</td>" in html


def test_point_7_without_a_mail_server_or_s3_no_recipient_is_named(client):
    assert "Wir geben personenbezogene Daten nicht an Dritte weiter." in privacy_page(client)


def test_point_7_the_mail_server_and_the_s3_provider_are_named_when_configured(client):
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="mail.verlag.example",
        S3_BUCKET="bilder",
        S3_DOMAIN="bilder.cdn.example",
        S3_ENDPOINT="",
    ):
        html = privacy_page(client)

    assert "Betreiber des Mailservers mail.verlag.example" in html
    assert "Speicheranbieter der Bilder (bilder.cdn.example)" in html
    assert "nicht an Dritte weiter" not in html


def test_point_7_the_contact_of_the_data_protection_officer_is_shown(client, settings):
    settings.PRIVACY_CONTACT = "Datenschutzbeauftragte: Erika Muster, datenschutz@verlag.example"

    assert "datenschutz@verlag.example" in privacy_page(client)


def test_point_7_a_text_the_chefredaktion_edited_keeps_its_words_and_gets_the_periods(client):
    LegalText.objects.filter(kind="datenschutz").update(body="<p>Unser eigener Text.</p>")

    html = privacy_page(client)

    assert "Unser eigener Text." in html
    assert "Mustertext" not in html
    assert "Wie lange wir Daten speichern" in html
