"""The back office's groups, built from what each app declares in its own ``roles`` module.

An app that has permissions to hand out keeps a module ``<app>/roles.py``
with ``ROLES = {"group name": ["app_label.codename", ...]}``. Data migrations
call ``apply_roles()`` whenever a model adds permissions, so the groups on
every database match the declarations of all installed apps together; a
permission taken out of ``ROLES`` is taken back by a migration with ``revoke()``.
"""

import importlib


def declared_roles():
    """Every group with the permissions all installed apps grant it, in declaration order."""
    from django.apps import apps

    roles = {}
    for config in apps.get_app_configs():
        name = f"{config.name}.roles"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        for group, permissions in module.ROLES.items():
            granted = roles.setdefault(group, [])
            granted.extend(p for p in permissions if p not in granted)
    return roles


def apply_roles(apps, schema_editor):
    """Create the groups and grant what the apps declare (skipping permissions not yet there)."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; a fresh database needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in declared_roles().items():
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in permissions:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission:
                group.permissions.add(permission)


def revoke(taken_back):
    """A data migration's function taking permissions back: ``{"group": ["app.codename"]}``.

    apply_roles() only grants, so a permission dropped from an app's ROLES
    stays with the group on every existing database until a migration
    takes it back with this.
    """

    def take_back(apps, schema_editor):
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        for name, permissions in taken_back.items():
            for dotted in permissions:
                app_label, codename = dotted.split(".")
                permission = Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename
                )
                for group in Group.objects.filter(name=name):
                    group.permissions.remove(*permission)

    return take_back
