from django.db import migrations

from portal.lib.ratelimit import setup


class Migration(migrations.Migration):
    """The limits' counters move from the cache into PostgreSQL (portal.lib.ratelimit).

    In the local-memory cache each app process counted alone, so a limit
    allowed its number once per worker.
    """

    dependencies = [("portal", "0005_touch_once_per_statement")]

    operations = [setup()]
