from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("subscriptions", "0004_orders_confirmed_by_mail"),
    ]

    operations = [
        migrations.AlterField(
            model_name="outgoingmail",
            name="state",
            field=models.CharField(
                choices=[
                    ("queued", "Wartet"),
                    ("held", "Zurückgehalten"),
                    ("sent", "Versendet"),
                    ("failed", "Fehlgeschlagen"),
                ],
                default="queued",
                max_length=10,
                verbose_name="Zustand",
            ),
        ),
    ]
