from django.db import migrations, models


def accept_what_was_delivered(apps, schema_editor):
    """Contracts past "pending" were delivered before acceptance was recorded: they count as such.

    Pending ones (orders nobody accepted) stay out of the mailing house's
    list until staff accept them.
    """
    Subscription = apps.get_model("subscriptions", "Subscription")
    Subscription.objects.exclude(status="pending").update(accepted_at=models.F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("subscriptions", "0002_roles_and_immutable_declarations"),
    ]

    operations = [
        migrations.AddField(
            model_name="subscription",
            name="accepted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="Angenommen am"),
        ),
        migrations.AlterField(
            model_name="subscription",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Bestellt, noch nicht angenommen"),
                    ("active", "Läuft"),
                    ("cancelled", "Gekündigt"),
                    ("withdrawn", "Widerrufen"),
                ],
                default="pending",
                max_length=12,
                verbose_name="Status",
            ),
        ),
        migrations.RunPython(accept_what_was_delivered, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="subscription",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "active"), _negated=True),
                    ("accepted_at__isnull", False),
                    _connector="OR",
                ),
                name="subscription_active_is_accepted",
            ),
        ),
    ]
