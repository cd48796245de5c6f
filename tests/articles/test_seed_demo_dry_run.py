"""seed_demo --dry-run, apart from the module that loads the demo content once."""

import io

import pytest
from django.core.management import call_command

from articles.models import Article

pytestmark = pytest.mark.django_db


def test_dry_run_saves_nothing(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)

    out = io.StringIO()
    call_command("seed_demo", "--dry-run", stdout=out)

    assert Article.objects.count() == 0
    assert "72 Artikel würden angelegt" in out.getvalue()
    assert not list(tmp_path.rglob("*"))
