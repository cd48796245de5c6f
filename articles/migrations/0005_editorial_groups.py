from django.db import migrations

from portal.lib.roles import apply_roles


class Migration(migrations.Migration):
    """Groups Redaktion, Chefredaktion, Anzeigen and Aboverwaltung with their permissions."""

    dependencies = [
        ("articles", "0004_unpublished_status_and_publish_permission"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
