from django.db import migrations

from portal.lib.triggers import count_writes


class Migration(migrations.Migration):
    """Writes to the content tables are counted by the library's trigger function.

    The counter and its function were this app's (0013), and ads and portal
    attached their tables to it; now every app attaches its own tables to
    the library's (portal.lib.triggers). The old counter leaves the model
    state here; its table and function are dropped by portal's 0003 once
    every app has moved its triggers.
    """

    dependencies = [
        ("articles", "0015_article_vendors"),
    ]

    operations = [
        count_writes(
            "articles_article",
            "articles_articlelink",
            "articles_image",
            "articles_section",
            "articles_tag",
            "articles_taggedarticle",
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ContentState")]
        ),
    ]
