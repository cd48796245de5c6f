from django.db import migrations

from portal.lib.triggers import count_writes


class Migration(migrations.Migration):
    """What readers see of the IT-Guide and the ads counts as content changes.

    Every table but the daily figures, which clicks write all day; counted by
    the library's trigger function instead of the one of articles' 0013.
    """

    dependencies = [
        ("ads", "0002_roles_and_content_triggers"),
    ]

    operations = [
        count_writes("ads_category", "ads_vendor", "ads_vendor_categories", "ads_campaign",
                     "ads_creative"),
    ]  # fmt: skip
