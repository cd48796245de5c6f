from django.db import migrations

from portal.lib.triggers import count_writes


class Migration(migrations.Migration):
    """Changes to the Impressum and the legal texts count as content changes.

    Counted by the library's trigger function instead of the one of articles'
    0013. When every app counts with the library's, the old counter goes.
    """

    dependencies = [
        ("portal", "0002_legal_defaults_roles_and_triggers"),
        ("articles", "0016_count_writes_in_the_library"),
        ("ads", "0003_count_writes_in_the_library"),
    ]

    operations = [
        count_writes("portal_publisher", "portal_legaltext"),
        migrations.RunSQL(
            "DROP FUNCTION IF EXISTS articles_content_changed();"
            "DROP TABLE IF EXISTS articles_contentstate;",
            migrations.RunSQL.noop,
        ),
    ]
