from django.db import migrations, models


class Migration(migrations.Migration):
    """Click windows: a client's repeated clicks on a creative count once (ads.counting)."""

    dependencies = [
        ("ads", "0004_topics"),
    ]

    operations = [
        migrations.CreateModel(
            name="ClickWindow",
            fields=[
                ("key", models.UUIDField(primary_key=True, serialize=False)),
                ("opened_at", models.DateTimeField()),
                ("clicks", models.PositiveIntegerField(default=1)),
            ],
            options={
                "verbose_name": "Klickfenster",
                "verbose_name_plural": "Klickfenster",
            },
        ),
    ]
