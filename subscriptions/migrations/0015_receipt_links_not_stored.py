"""A declaration's receipt link is signed when made (Declaration.receipt_token), not stored.

The tokens of declarations made before are replaced by their SHA-256, so a link
already sent still opens its receipt (the view looks it up by the hash) and the
database holds none that works. The immutability trigger refuses every change to
the token; it is switched off for this one statement, in this transaction.
"""

from django.db import migrations

HASH_TOKENS = """
SET CONSTRAINTS ALL IMMEDIATE;
ALTER TABLE subscriptions_declaration DISABLE TRIGGER declaration_immutable;
UPDATE subscriptions_declaration
   SET token = encode(sha256(convert_to(token, 'UTF8')), 'hex')
 WHERE token !~ '^[0-9a-f]{64}$';
ALTER TABLE subscriptions_declaration ENABLE TRIGGER declaration_immutable;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("subscriptions", "0014_outbox_keeps_no_links"),
    ]

    # A hash cannot be turned back: going back leaves the hashes (old links then fail).
    operations = [migrations.RunSQL(HASH_TOKENS, migrations.RunSQL.noop)]
