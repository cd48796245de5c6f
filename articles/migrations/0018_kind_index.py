from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    """An index for the back office's kind filter, built without locking out editors."""

    atomic = False

    dependencies = [
        ("articles", "0017_topics"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="article",
            index=models.Index(fields=["kind", "-publish_at", "-id"], name="article_kind_idx"),
        ),
    ]
