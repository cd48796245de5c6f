from django.db import migrations

from portal.lib.roles import apply_roles

# Changes to what readers see of the IT-Guide and the ads count as content
# changes (the page cache; see 0003): the trigger function of articles' migration
# 0013, on every table but the daily figures, which clicks write all day.
TABLES = ["ads_category", "ads_vendor", "ads_vendor_categories", "ads_campaign", "ads_creative"]
TRIGGERS = "".join(
    f"CREATE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}"
    " FOR EACH STATEMENT EXECUTE FUNCTION articles_content_changed();\n"
    for table in TABLES
)
DROP_TRIGGERS = "".join(f"DROP TRIGGER IF EXISTS {table}_changed ON {table};\n" for table in TABLES)


class Migration(migrations.Migration):
    """The "Anzeigen" group gets the ads permissions; the newsroom may pick vendors."""

    dependencies = [
        ("ads", "0001_initial"),
        ("articles", "0015_article_vendors"),
    ]

    operations = [
        migrations.RunPython(apply_roles, migrations.RunPython.noop),
        migrations.RunSQL(TRIGGERS, DROP_TRIGGERS),
    ]
