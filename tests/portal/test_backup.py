"""Backup and restore: what a dump holds comes back in a fresh database, with the pictures."""

import io
import subprocess
import sys

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from portal.settings import BASE_DIR
from tests.factories import make_article, make_image
from tests.services import child_env


@pytest.fixture
def fresh_database():
    """An empty database beside the test database, dropped afterwards."""
    db = connection.settings_dict
    name = f"{db['NAME']}_restored"
    admin = {
        "host": db["HOST"] or None,
        "port": db["PORT"] or None,
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield {**db, "NAME": name}, {**admin, "dbname": name}
    with psycopg.connect(**admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_a_fresh_database_has_the_articles_and_pictures(
    tmp_path, settings, fresh_database
):
    restored_db, params = fresh_database
    picture = make_image()
    make_article(headline="Gesichert und zurückgespielt", lead_image=picture)
    out = io.StringIO()

    call_command("backup", into=str(tmp_path / "backups"), stdout=out)

    [folder] = (tmp_path / "backups").iterdir()
    restored_media = tmp_path / "restored-media"
    env = child_env(restored_db, PORTAL_MEDIA_ROOT=str(restored_media))
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(folder), "--yes"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    with psycopg.connect(**params) as conn:
        headlines = [row[0] for row in conn.execute("SELECT headline FROM articles_article")]
        migrations = conn.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
    assert "Gesichert und zurückgespielt" in headlines
    assert migrations > 0
    assert (restored_media / picture.file.name).exists()
    assert "Gesichert nach" in out.getvalue()


def test_restore_asks_before_replacing_the_database(tmp_path):
    (tmp_path / "database.dump").write_bytes(b"")

    with pytest.raises(Exception, match="Mit --yes bestätigen"):
        call_command("restore", str(tmp_path))
