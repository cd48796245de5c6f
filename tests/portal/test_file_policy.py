"""Point 10 (c) of issue 25: answers that are not pages carry a Content Security Policy too."""

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from portal.lib.csp import FILE_POLICY

STATIC = [
    "/static/css/portal.css",
    "/static/js/print-button.js",
    "/static/favicon.svg",
    "/static/admin/css/base.css",
]


def assert_nothing_may_run(response):
    policy = response["Content-Security-Policy"]
    assert policy == FILE_POLICY
    assert "default-src 'none'" in policy and "sandbox" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
@pytest.mark.parametrize("path", [*STATIC, "/healthz/"])
def test_static_files_and_the_health_check_carry_a_content_security_policy(path):
    response = Client().get(path)

    assert response.status_code == 200
    assert_nothing_may_run(response)


@pytest.mark.django_db
def test_the_health_check_asked_by_address_and_down_carries_it_too(monkeypatch):
    from portal import middleware

    def no_database():
        raise middleware.DatabaseError("weg")

    monkeypatch.setattr(middleware.connection, "cursor", no_database)

    response = Client().get("/healthz/", HTTP_HOST="10.0.0.7")

    assert response.status_code == 503
    assert_nothing_may_run(response)


def test_collected_static_files_carry_it_as_production_serves_them(tmp_path):
    """Production serves what collectstatic wrote, indexed once when the process starts."""
    collected = {
        "STATIC_ROOT": tmp_path,
        "WHITENOISE_USE_FINDERS": False,
        "WHITENOISE_AUTOREFRESH": False,
    }
    with override_settings(**collected):
        call_command("collectstatic", interactive=False, verbosity=0)
        browser = Client()
        answers = [browser.get(path) for path in STATIC]

    assert [a.status_code for a in answers] == [200] * len(STATIC)
    for answer in answers:
        assert_nothing_may_run(answer)


@pytest.mark.django_db
def test_pages_keep_their_own_policy(client):
    policy = client.get("/").headers["Content-Security-Policy"]

    assert "default-src 'self'" in policy
    assert "sandbox" not in policy
