from django.db import migrations

from portal.lib.roles import apply_roles


class Migration(migrations.Migration):
    """Redaktion and Chefredaktion may view users, to pick an article's author."""

    dependencies = [("articles", "0008_search_vector_and_admin_indexes")]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
