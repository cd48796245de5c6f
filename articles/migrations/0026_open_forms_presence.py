from django.db import migrations

from articles.presence import setup


class Migration(migrations.Migration):
    """Who has an article's form open (articles.presence): an UNLOGGED table
    every app process shares, whatever the cache is."""

    dependencies = [("articles", "0025_image_width_height_german_names")]

    operations = [setup()]
