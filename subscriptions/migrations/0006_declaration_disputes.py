import django.db.models.deletion
from django.db import migrations, models

# "Das war ich nicht" is evidence as much as the declaration it answers:
# once recorded, when and by whom is never changed or taken back. The
# function is the one of migration 0002 with that one condition added.
FUNCTION = """
CREATE OR REPLACE FUNCTION subscriptions_declaration_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'declaration % is evidence and is never deleted', OLD.id;
    END IF;
    IF (NEW.kind, NEW.reason, NEW.name, NEW.identifier, NEW.contract, NEW.requested_end,
        NEW.email, NEW.received_at, NEW.token, NEW.submission)
       IS DISTINCT FROM
       (OLD.kind, OLD.reason, OLD.name, OLD.identifier, OLD.contract, OLD.requested_end,
        OLD.email, OLD.received_at, OLD.token, OLD.submission)
       OR (OLD.subscriber_id IS NOT NULL AND NEW.subscriber_id IS DISTINCT FROM OLD.subscriber_id)
       OR (OLD.confirmation_id IS NOT NULL AND NEW.confirmation_id IS DISTINCT FROM OLD.confirmation_id)
       {disputed}
    THEN
        RAISE EXCEPTION 'declaration % is evidence and is never changed', OLD.id;
    END IF;
    RETURN NEW;
END $$;
"""

DISPUTED = """OR (OLD.disputed_at IS NOT NULL
           AND (NEW.disputed_at, NEW.disputed_by_id) IS DISTINCT FROM (OLD.disputed_at, OLD.disputed_by_id))"""


class Migration(migrations.Migration):
    dependencies = [
        ("subscriptions", "0005_outgoingmail_held"),
    ]

    operations = [
        migrations.AddField(
            model_name="declaration",
            name="disputed_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="„Das war ich nicht“ am"
            ),
        ),
        migrations.AddField(
            model_name="declaration",
            name="disputed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="subscriptions.subscriber",
                verbose_name="„Das war ich nicht“ von",
            ),
        ),
        migrations.AddIndex(
            model_name="declaration",
            index=models.Index(
                condition=models.Q(("disputed_at__isnull", False)),
                fields=["-disputed_at"],
                name="declaration_disputed_idx",
            ),
        ),
        migrations.RunSQL(
            FUNCTION.format(disputed=DISPUTED),
            FUNCTION.format(disputed=""),
        ),
    ]
