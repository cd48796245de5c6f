"""Production settings: the deploy check is clean, balancers find health, logs are JSON."""

import json
import logging
import re
import subprocess
import sys
import time

import pytest
from django.test import override_settings

from portal.logs import JsonFormatter
from portal.settings import BASE_DIR
from tests.conftest import logged_in
from tests.factories import make_article
from tests.portal.test_settings import settings_in
from tests.services import child_env

PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "Vq3-8Lr0_pZ7w1KcXs9MdT4yNe6UbHj2GfAo5RiQlEkWvYnCuPaBmDzIhSgOtJx",
    "DJANGO_ALLOWED_HOSTS": "portal.example",
    "EMAIL_HOST": "mail.example",
}


def test_the_deploy_check_reports_nothing_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=BASE_DIR,
        env=child_env(**PRODUCTION),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_sends_browsers_to_https_and_keeps_them_there():
    result = settings_in(
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " s.SECURE_REFERRER_POLICY, s.LOG_FORMAT)",
        **PRODUCTION,
    )

    assert result.stdout.split() == [
        "True",
        "31536000",
        "True",
        "strict-origin-when-cross-origin",
        "json",
    ], result.stderr


@pytest.mark.django_db
def test_the_health_endpoint_reports_database_and_cache(client):
    response = client.get("/healthz/", HTTP_HOST="10.0.0.7")  # balancers ask by address

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
def test_the_health_endpoint_answers_over_plain_http_while_pages_redirect(client):
    assert client.get("/healthz/").status_code == 200
    assert client.get("/").status_code == 301


@pytest.mark.django_db
@override_settings(
    CACHES={
        "default": {
            "BACKEND": "portal.lib.cache.ForgivingRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
)
def test_without_the_cache_pages_still_come_and_health_says_what_is_down(client, caplog):
    article = make_article(headline="Trotzdem lesbar")

    with caplog.at_level(logging.WARNING, logger="portal.lib.cache"):
        page = client.get(article.get_absolute_url())
        health = client.get("/healthz/")

    assert page.status_code == 200
    assert "Trotzdem lesbar" in page.content.decode()
    assert health.status_code == 200
    assert health.json() == {"database": "ok", "cache": "unavailable"}
    assert "Cache unavailable" in caplog.text


def test_log_lines_are_json_with_time_level_and_message():
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Fehler: %s", ("x",), None
    )
    record.status_code = 500

    entry = json.loads(JsonFormatter().format(record))

    assert entry["level"] == "ERROR"
    assert entry["logger"] == "django.request"
    assert entry["message"] == "Fehler: x"
    assert entry["status"] == 500
    assert entry["time"].endswith("+00:00")


@pytest.mark.django_db
def test_pages_allow_only_our_own_scripts_styles_and_frames_and_carry_no_inline_code(client):
    article = make_article()

    for url in ["/", article.get_absolute_url(), "/abo/kuendigen/"]:
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        html = response.content.decode()

        assert "default-src 'self'" in policy
        assert "script-src 'self'" in policy
        assert "object-src 'none'" in policy
        assert "unsafe-inline" not in policy
        assert 'style="' not in html, url
        inline_scripts = re.findall(r"<script(?![^>]*\b(?:src=|application/ld\+json))[^>]*>", html)
        assert inline_scripts == [], url


@pytest.mark.django_db
def test_the_editors_import_map_carries_the_nonce_the_policy_names(chief):
    response = logged_in(chief).get("/admin/articles/article/add/")

    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])[1]
    assert f'<script type="importmap" nonce="{nonce}">' in response.content.decode()


def test_a_bucket_puts_the_pictures_on_s3_and_lets_the_policy_show_them():
    result = settings_in(
        "o = s.STORAGES['default']; print(o['BACKEND'], o['OPTIONS']['bucket_name'],"
        " o['OPTIONS']['endpoint_url'], o['OPTIONS']['querystring_auth'], s.SERVE_MEDIA,"
        " s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'][-1])",
        PORTAL_S3_BUCKET="portal-bilder",
        PORTAL_S3_ENDPOINT_URL="https://s3.example.org",
    )
    without = settings_in("print(s.STORAGES['default']['BACKEND'])")

    assert result.stdout.split() == [
        "storages.backends.s3.S3Storage",
        "portal-bilder",
        "https://s3.example.org",
        "False",
        "False",
        "https://s3.example.org",
    ], result.stderr
    assert without.stdout.split() == ["django.core.files.storage.FileSystemStorage"]


def test_after_one_failure_the_cache_is_left_alone_for_a_few_seconds(caplog):
    from portal.lib.cache import ForgivingRedisCache

    cache = ForgivingRedisCache(
        "redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}}
    )

    with caplog.at_level(logging.WARNING, logger="portal.lib.cache"):
        started = time.monotonic()
        answers = [cache.get(f"key-{n}", "fallback") for n in range(50)]
        elapsed = time.monotonic() - started

    assert answers == ["fallback"] * 50
    assert caplog.text.count("Cache unavailable") == 1
    assert elapsed < 1
