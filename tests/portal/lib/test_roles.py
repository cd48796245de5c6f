"""The back office's groups hold exactly what the apps' roles modules declare."""

import pytest
from django.contrib.auth.models import Group

from portal.lib.roles import declared_roles

pytestmark = pytest.mark.django_db


def granted(name):
    return {
        f"{app_label}.{codename}"
        for app_label, codename in Group.objects.get(name=name).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


@pytest.mark.parametrize("name", ["Redaktion", "Chefredaktion", "Anzeigen", "Aboverwaltung"])
def test_each_group_of_the_migrations_has_what_the_apps_declare(name):
    assert granted(name) == set(declared_roles()[name])


def test_an_app_grants_to_another_apps_group_from_its_own_module():
    roles = declared_roles()

    # ads lets the newsroom name vendors; portal lets the chief edit the Impressum.
    assert "ads.view_vendor" in roles["Redaktion"]
    assert "portal.change_publisher" in roles["Chefredaktion"]
    assert "portal.change_publisher" not in roles["Redaktion"]
