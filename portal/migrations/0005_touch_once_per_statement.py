from django.db import migrations

from portal.lib.topics import setup


class Migration(migrations.Migration):
    """portal_touch counts a topic once per statement and keeps its plan (PL/pgSQL; see portal.lib.topics):
    a bulk import no longer slows down with every row it writes."""

    dependencies = [("portal", "0004_topics")]

    operations = [setup()]
