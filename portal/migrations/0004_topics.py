from django.db import migrations

from portal.lib.topics import setup, topic_trigger


class Migration(migrations.Migration):
    """The publisher's details and legal texts renew their pages (topic "site").

    Every app now counts its writes by topic (portal.lib.topics); the
    site-wide write counter of 0003 goes with its function.
    """

    dependencies = [
        ("portal", "0003_count_writes_in_the_library"),
        ("articles", "0017_topics"),
        ("ads", "0004_topics"),
    ]

    operations = [
        setup(),
        migrations.RunSQL(
            "DROP TRIGGER IF EXISTS portal_publisher_changed ON portal_publisher;\n"
            "DROP TRIGGER IF EXISTS portal_legaltext_changed ON portal_legaltext;\n"
            "DROP TABLE IF EXISTS portal_content_writes;\n"
            "DROP FUNCTION IF EXISTS portal_count_content_write();\n",
            migrations.RunSQL.noop,
        ),
        topic_trigger("portal_publisher", "portal_publisher_topics", "    PERFORM portal_touch(ARRAY['site']);"),
        topic_trigger("portal_legaltext", "portal_legaltext_topics", "    PERFORM portal_touch(ARRAY['site']);"),
    ]
