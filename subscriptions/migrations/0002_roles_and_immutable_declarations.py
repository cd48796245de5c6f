from django.db import migrations

from portal.lib.roles import apply_roles

# A cancellation or withdrawal is evidence: once received it is never
# changed or deleted, whoever asks (admin, shell, a bug). Only what happens
# after receipt may be filled in: the subscriber it was matched to (once),
# the confirmation mail (once), and who matched it when.
IMMUTABLE = """
CREATE FUNCTION subscriptions_declaration_immutable() RETURNS trigger
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
    THEN
        RAISE EXCEPTION 'declaration % is evidence and is never changed', OLD.id;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER declaration_immutable BEFORE UPDATE OR DELETE ON subscriptions_declaration
    FOR EACH ROW EXECUTE FUNCTION subscriptions_declaration_immutable();
"""

MUTABLE = """
DROP TRIGGER declaration_immutable ON subscriptions_declaration;
DROP FUNCTION subscriptions_declaration_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("subscriptions", "0001_initial"),
        ("articles", "0015_article_vendors"),
        ("ads", "0002_roles_and_content_triggers"),
    ]

    operations = [
        migrations.RunPython(apply_roles, migrations.RunPython.noop),
        migrations.RunSQL(IMMUTABLE, MUTABLE),
    ]
