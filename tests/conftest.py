import pytest
from django.contrib.auth.models import Permission


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
