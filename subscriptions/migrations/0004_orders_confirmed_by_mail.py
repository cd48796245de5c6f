import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from portal.lib.roles import apply_roles


class Migration(migrations.Migration):
    dependencies = [
        ("subscriptions", "0003_subscription_accepted_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AddressChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=150, verbose_name="Name")),
                (
                    "organisation",
                    models.CharField(blank=True, max_length=150, verbose_name="Organisation"),
                ),
                ("street", models.CharField(max_length=150, verbose_name="Straße und Hausnummer")),
                (
                    "postcode",
                    models.CharField(
                        max_length=5,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[0-9]{4,5}$", "Bitte eine PLZ aus 4 oder 5 Ziffern angeben."
                            )
                        ],
                        verbose_name="PLZ",
                    ),
                ),
                ("city", models.CharField(max_length=100, verbose_name="Ort")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Offen"),
                            ("accepted", "Übernommen"),
                            ("rejected", "Abgelehnt"),
                        ],
                        default="open",
                        max_length=10,
                        verbose_name="Status",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="Eingegangen"
                    ),
                ),
                (
                    "decided_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="Entschieden am"),
                ),
                ("previous", models.TextField(blank=True, verbose_name="Bisherige Anschrift")),
            ],
            options={
                "verbose_name": "Adressänderung",
                "verbose_name_plural": "Adressänderungen aus Bestellungen",
                "ordering": ["-created_at"],
            },
        ),
        migrations.CreateModel(
            name="Order",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=150, verbose_name="Name")),
                (
                    "organisation",
                    models.CharField(blank=True, max_length=150, verbose_name="Organisation"),
                ),
                ("street", models.CharField(max_length=150, verbose_name="Straße und Hausnummer")),
                (
                    "postcode",
                    models.CharField(
                        max_length=5,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[0-9]{4,5}$", "Bitte eine PLZ aus 4 oder 5 Ziffern angeben."
                            )
                        ],
                        verbose_name="PLZ",
                    ),
                ),
                ("city", models.CharField(max_length=100, verbose_name="Ort")),
                ("email", models.EmailField(max_length=254, verbose_name="E-Mail")),
                (
                    "received_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="Eingegangen"
                    ),
                ),
                (
                    "confirmed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="Bestätigt"),
                ),
                ("submission", models.CharField(editable=False, max_length=64, unique=True)),
            ],
            options={
                "verbose_name": "Bestellung",
                "verbose_name_plural": "Bestellungen",
                "ordering": ["-received_at"],
            },
        ),
        migrations.AddField(
            model_name="addresschange",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="Entschieden von",
            ),
        ),
        migrations.AddField(
            model_name="addresschange",
            name="subscriber",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="address_changes",
                to="subscriptions.subscriber",
                verbose_name="Abonnent",
            ),
        ),
        migrations.AddField(
            model_name="order",
            name="plan",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="orders",
                to="subscriptions.plan",
                verbose_name="Angebot",
            ),
        ),
        migrations.AddField(
            model_name="order",
            name="subscription",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="order",
                to="subscriptions.subscription",
                verbose_name="Vertrag",
            ),
        ),
        migrations.AddField(
            model_name="addresschange",
            name="order",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="address_change",
                to="subscriptions.order",
                verbose_name="Bestellung",
            ),
        ),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(fields=["-received_at"], name="order_received_idx"),
        ),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(fields=["email"], name="order_email_idx"),
        ),
        migrations.AddConstraint(
            model_name="order",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("confirmed_at__isnull", True), ("subscription__isnull", True)),
                    models.Q(("confirmed_at__isnull", False), ("subscription__isnull", False)),
                    _connector="OR",
                ),
                name="order_confirmed_has_contract",
            ),
        ),
        migrations.AddIndex(
            model_name="addresschange",
            index=models.Index(
                condition=models.Q(("status", "open")),
                fields=["-created_at"],
                name="address_change_open_idx",
            ),
        ),
        migrations.RunPython(apply_roles, migrations.RunPython.noop),
    ]
