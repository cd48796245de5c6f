from django.db import migrations

from portal.lib.topics import setup, topic_trigger

# The tables whose writes changed the one site-wide content version (0003).
OLD_TRIGGERS = ("ads_category", "ads_vendor", "ads_vendor_categories", "ads_campaign", "ads_creative")

# Which ad places are occupied: changes with a write and when a campaign
# starts or ends, which is noted in advance.
CAMPAIGN = """
    PERFORM portal_touch(ARRAY['ads']);
    IF TG_OP <> 'DELETE' THEN
        PERFORM portal_touch_at(ARRAY['ads'], NEW.starts_at);
        PERFORM portal_touch_at(ARRAY['ads'], NEW.ends_at);
    END IF;
"""

IT_GUIDE = "    PERFORM portal_touch(ARRAY['itguide']);"


class Migration(migrations.Migration):
    """Writes renew the ad places or the IT-Guide, not the whole site (portal.lib.topics)."""

    dependencies = [
        ("ads", "0003_count_writes_in_the_library"),
    ]

    operations = [
        migrations.RunSQL(
            "".join(f"DROP TRIGGER IF EXISTS {table}_changed ON {table};\n" for table in OLD_TRIGGERS),
            migrations.RunSQL.noop,
        ),
        setup(),
        topic_trigger("ads_campaign", "ads_campaign_topics", CAMPAIGN),
        topic_trigger("ads_creative", "ads_creative_topics", "    PERFORM portal_touch(ARRAY['ads']);"),
        topic_trigger("ads_vendor", "ads_vendor_topics", IT_GUIDE),
        topic_trigger("ads_category", "ads_category_topics", IT_GUIDE),
        topic_trigger("ads_vendor_categories", "ads_vendor_category_topics", IT_GUIDE),
    ]
