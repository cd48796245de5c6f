import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.settings import BASE_DIR, database_from_url, envbool
from tests.services import child_env, database_url


def test_database_url_gives_every_part():
    db = database_from_url(
        "postgres://redaktion:g%40heim@db.example.org:6543/portal?sslmode=require"
    )

    assert db["NAME"] == "portal"
    assert db["USER"] == "redaktion"
    assert db["PASSWORD"] == "g@heim"
    assert db["HOST"] == "db.example.org"
    assert db["PORT"] == "6543"
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_database_url_may_name_a_socket_folder():
    db = database_from_url("postgresql:///portal?host=/var/run/postgresql")

    assert db["HOST"] == "/var/run/postgresql"
    assert db["OPTIONS"] == {}


@pytest.mark.parametrize(
    "url",
    ["mysql://root@localhost/portal", "postgres://localhost/", "postgres://localhost:port/x"],
)
def test_a_database_url_we_cannot_use_is_refused(url):
    with pytest.raises(ImproperlyConfigured):
        database_from_url(url)


def test_envbool_refuses_what_it_cannot_read(monkeypatch):
    monkeypatch.setenv("PORTAL_FLAG", "vielleicht")

    with pytest.raises(ImproperlyConfigured, match="PORTAL_FLAG"):
        envbool("PORTAL_FLAG", False)


def settings_in(code="", **variables):
    """Import the settings in a fresh process with exactly these variables set."""
    env = child_env(**variables)
    return subprocess.run(
        [sys.executable, "-c", f"from portal import settings as s\n{code}"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_without_a_secret_key_does_not_start():
    result = settings_in(DJANGO_ENV="production")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_refuses_debug():
    result = settings_in(DJANGO_ENV="production", DJANGO_SECRET_KEY="x" * 60, DJANGO_DEBUG="1")

    assert result.returncode != 0
    assert "DJANGO_DEBUG must be off" in result.stderr


def test_production_sends_staff_cookies_over_https_only():
    result = settings_in(
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.DEBUG)",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="x" * 60,
        EMAIL_HOST="mail.example",
    )

    assert result.stdout.split() == ["True", "True", "False"], result.stderr


def test_production_without_a_mail_server_does_not_start():
    result = settings_in(DJANGO_ENV="production", DJANGO_SECRET_KEY="x" * 60)

    assert result.returncode != 0
    assert "Production needs EMAIL_HOST" in result.stderr


def test_mail_goes_to_smtp_where_a_server_is_named_and_to_the_console_otherwise():
    smtp = settings_in(
        "print(s.EMAIL_BACKEND, s.EMAIL_PORT, s.EMAIL_USE_TLS)", EMAIL_HOST="mail.example"
    )
    console = settings_in("print(s.EMAIL_BACKEND)")

    assert smtp.stdout.split() == ["django.core.mail.backends.smtp.EmailBackend", "587", "True"]
    assert console.stdout.split() == ["django.core.mail.backends.console.EmailBackend"]


def test_development_works_without_any_setting():
    result = settings_in("print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.SECRET_KEY[:16])")

    assert result.stdout.split() == ["False", "False", "django-insecure-"], result.stderr


def test_an_unknown_environment_is_refused():
    result = settings_in(DJANGO_ENV="prod")

    assert "DJANGO_ENV must be development or production" in result.stderr


@pytest.mark.parametrize(
    "db",
    [
        {"NAME": "test_portal", "USER": "postgres", "PASSWORD": "", "HOST": "", "PORT": ""},
        {
            "NAME": "portal",
            "USER": "redaktion",
            "PASSWORD": "g@h:eim",
            "HOST": "db",
            "PORT": "6543",
        },
        # The embedded server: its host is the socket folder.
        {
            "NAME": "test_portal",
            "USER": "postgres",
            "PASSWORD": "",
            "HOST": "/w/var/pgdata",
            "PORT": "",
        },
        {
            "NAME": "test_portal",
            "USER": "postgres",
            "PASSWORD": "",
            "HOST": "/srv/pg sockets",
            "PORT": "5433",
        },
    ],
)
def test_a_child_process_is_handed_the_same_database_it_was_given(db):
    handed_over = database_from_url(database_url(db))

    assert {key: handed_over[key] for key in ("NAME", "USER", "PASSWORD")} == {
        key: db[key] for key in ("NAME", "USER", "PASSWORD")
    }
    assert handed_over["HOST"] == (db["HOST"] or "127.0.0.1")
    assert handed_over["PORT"] in (db["PORT"], "5432")
