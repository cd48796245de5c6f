import pytest
from django.conf import settings
from django.contrib.auth.models import Permission


@pytest.fixture(autouse=True, scope="session")
def media_root(tmp_path_factory):
    """Uploads of the test session go to pytest's temporary folder, which it prunes."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    return settings.MEDIA_ROOT


@pytest.fixture
def editor(django_user_model):
    """A newsroom member who may add and change articles in the admin."""
    user = django_user_model.objects.create_user(
        "redakteurin", "redaktion@example.org", "geheim-und-lang-genug", is_staff=True
    )
    codenames = [
        f"{action}_{model}"
        for action in ("add", "change", "view")
        for model in ("article", "section", "image", "tag", "articlelink")
    ]
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
    )
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
