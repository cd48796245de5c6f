from django.db import migrations

from portal.lib.roles import revoke

# The article form lists the newsroom's names itself; the user directory,
# with everyone's e-mail address, rights and last login, is not theirs.
USER_DIRECTORY = {"Redaktion": ["auth.view_user"], "Chefredaktion": ["auth.view_user"]}


class Migration(migrations.Migration):
    """Redaktion and Chefredaktion no longer view users (0009 granted it for the author field)."""

    dependencies = [("articles", "0020_image_unguessable_names")]

    operations = [migrations.RunPython(revoke(USER_DIRECTORY), migrations.RunPython.noop)]
