from django.db import migrations

from portal.lib.tasks import setup


class Migration(migrations.Migration):
    """The clock of periodic tasks (portal.lib.tasks.every): when each is next due."""

    dependencies = [("portal", "0006_rate_counts")]

    operations = [setup()]
