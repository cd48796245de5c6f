"""Personas of the back office, as the groups of the data migration define them."""

import atexit
import io

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings

from ads import counting
from articles import presence
from portal.lib import pagecache, ratelimit
from portal.lib.roles import declared_roles
from portal.sites import needs_second_factor
from tests.services import redis_server  # noqa: F401 - a fixture for every test module

PASSWORD = "geheim-und-lang-genug"


@pytest.fixture(autouse=True, scope="session")
def no_flush_at_exit():
    """Tests flush ad impressions themselves; when pytest exits, its database is gone."""
    atexit.unregister(counting._flush_on_exit)


@pytest.fixture(autouse=True, scope="session")
def media_root(tmp_path_factory):
    """Uploads and private files of the test session go to pytest's temporary folder,
    which it prunes."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    private = {**settings.STORAGES["private"]}
    private["OPTIONS"] = {**private["OPTIONS"], "location": tmp_path_factory.mktemp("private")}
    with override_settings(STORAGES={**settings.STORAGES, "private": private}):
        yield settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: no reader page left over.

    Topic versions count committed writes; a test's rolled-back writes
    would otherwise let the next test meet a page or fragment cached for
    others, in the cache or in this process.
    """
    cache.clear()
    pagecache.forget()


@pytest.fixture(autouse=True)
def no_rate_counts_left_over(request):
    """Rate-limit counts live in the database: a test's own roll back with it, but a
    transactional test (live server, other processes) commits them, and its flush
    empties only the models' tables."""
    marker = request.node.get_closest_marker("django_db")
    if (marker and marker.kwargs.get("transaction")) or (
        {"transactional_db", "live_server"} & set(request.fixturenames)
    ):
        request.getfixturevalue("transactional_db")
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {ratelimit.TABLE}")  # noqa: S608 - a constant
            cursor.execute(f"TRUNCATE {presence.TABLE}")  # noqa: S608 - a constant


def make_staff(django_user_model, username, group):
    user = django_user_model.objects.create_user(
        username, f"{username}@verwaltung-digital.example", PASSWORD, is_staff=True
    )
    user.groups.add(role(group))
    return user


def role(name):
    """The migration's group, rebuilt from the apps' roles where a test emptied it."""
    group, created = Group.objects.get_or_create(name=name)
    if created:
        for dotted in declared_roles()[name]:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    return group


@pytest.fixture
def editor(django_user_model):
    """Redaktion: writes and edits, submits for review, cannot publish."""
    return make_staff(django_user_model, "redakteurin", "Redaktion")


@pytest.fixture
def chief(django_user_model):
    """Chefredaktion: publishes, takes back, deletes."""
    return make_staff(django_user_model, "chefin", "Chefredaktion")


@pytest.fixture
def ad_sales(django_user_model):
    """Anzeigen: ads and the vendor directory, nothing editorial."""
    return make_staff(django_user_model, "anzeigen", "Anzeigen")


@pytest.fixture
def subscription_staff(django_user_model):
    """Aboverwaltung: subscribers, contracts, declarations; the only group that sees them."""
    return make_staff(django_user_model, "aboservice", "Aboverwaltung")


def logged_in(user):
    """A browser of its own per persona, so tests can use several side by side.

    Signed in with the second factor too where the persona needs one
    (portal.sites); tests/portal/test_second_factor.py goes through the steps.
    """
    browser = Client()
    browser.force_login(user)
    if needs_second_factor(user):
        with_second_factor(browser, user)
    return browser


def with_second_factor(browser, user):
    """The session of ``browser`` as after entering the code of ``user``'s app."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "Test"}
    )
    session = browser.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture
def editor_client(editor):
    return logged_in(editor)


@pytest.fixture
def chief_client(chief):
    return logged_in(chief)


class TaskQueue:
    """The database's task queue as production has it, and a worker run in this process."""

    def run(self):
        """A worker's run until nothing is due; returns what it printed."""
        out = io.StringIO()
        call_command("worker", "--batch", "--interval", "0", stdout=out)
        return out.getvalue()

    def time_passes(self):
        """As when every waiting task's and mail's time has come."""
        from django.utils import timezone
        from django_tasks_db.models import DBTaskResult

        from subscriptions.models import OutgoingMail

        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        OutgoingMail.objects.filter(state="queued").update(next_attempt_at=timezone.now())

    def waiting(self, name=None):
        from django_tasks_db.models import DBTaskResult

        ready = DBTaskResult.objects.filter(status="READY")
        return ready.filter(task_path__endswith=f".{name}") if name else ready


@pytest.fixture
def task_queue(settings):
    """Tasks go to the database queue (not run at once, as elsewhere in the suite)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return TaskQueue()
