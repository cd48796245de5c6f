"""The outbox keeps no usable link: a recipe instead (OutgoingMail.links), and the links
already stored are taken out of every mail.

A mail not yet sent (waiting, held, failed) gets the recipe its link was made
from, so it still works when sent (a new link then); a sent one keeps only a
note that the link was removed. The salts and URL paths are copied here, as a
migration must not import the app's code.
"""

import hashlib
import re

from django.core import signing
from django.db import migrations, models

PLACEHOLDER = "[Link wird beim Versand eingesetzt – aus Sicherheitsgründen nicht gespeichert: {}]"
REMOVED = "[Link aus Sicherheitsgründen entfernt]"

LINK = re.compile(
    r"(?P<base>https?://[^/\s\"'<>]+)"
    r"/(?P<path>abo/anmelden|abo/email|abo/bestellung|abo/nicht-ich"
    r"|abo/erklaerung|newsletter/bestaetigen|newsletter/abmelden)"
    r"/(?P<value>[^/\s\"'<>]+)/"
)


def _digest(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def _recipe(apps, base, path, value):
    """What the link was made from, or None if that cannot be told (or is gone)."""
    LinkToken = apps.get_model("subscriptions", "LinkToken")
    NewsletterConsent = apps.get_model("subscriptions", "NewsletterConsent")
    try:
        if path in ("abo/anmelden", "abo/email"):
            purpose = "login" if path == "abo/anmelden" else "email"
            token = LinkToken.objects.filter(digest=_digest(value), purpose=purpose).first()
            if token is None:
                return None
            subscriber = token.subscriber_id
            return {"kind": "account", "purpose": purpose, "subscriber": subscriber, "base": base}
        if path == "newsletter/bestaetigen":
            consent = NewsletterConsent.objects.filter(digest=_digest(value)).first()
            if consent is None:
                return None
            return {"kind": "newsletter-confirm", "consent": consent.pk, "base": base}
        if path == "newsletter/abmelden":
            pk = signing.loads(value, salt="subscriptions.newsletter.unsubscribe")
            return {"kind": "unsubscribe", "consent": pk, "base": base}
        if path == "abo/erklaerung":
            # The receipt's token is still stored as sent (0015 hashes it).
            Declaration = apps.get_model("subscriptions", "Declaration")
            declaration = Declaration.objects.filter(token=value).first()
            if declaration is None:
                return None
            return {"kind": "receipt", "declaration": declaration.pk, "base": base}
        if path == "abo/bestellung":
            pk = signing.loads(value, salt="subscriptions.orders.confirm")
            return {"kind": "order-confirm", "order": pk, "base": base}
        declaration, subscriber = signing.loads(value, salt="subscriptions.declarations.dispute")
        return {
            "kind": "dispute",
            "declaration": declaration,
            "subscriber": subscriber,
            "base": base,
        }
    except (signing.BadSignature, TypeError, ValueError):
        return None


def take_links_out(apps, schema_editor):
    OutgoingMail = apps.get_model("subscriptions", "OutgoingMail")
    found = models.Q()
    for path in ("/abo/", "/newsletter/"):
        found |= models.Q(body_text__contains=path) | models.Q(body_html__contains=path)
        found |= models.Q(headers__icontains=path)
    candidates = OutgoingMail.objects.filter(found)
    for mail in candidates.iterator(chunk_size=500):
        slots = {}  # URL -> what replaces it
        links = dict(mail.links)

        def replace(match):
            url = match[0]
            if url not in slots:
                recipe = None
                if mail.state != "sent":
                    recipe = _recipe(apps, match["base"], match["path"], match["value"])
                if recipe is None:
                    slots[url] = REMOVED
                else:
                    slot = f"link{len(links) + 1}"
                    links[slot] = recipe
                    slots[url] = PLACEHOLDER.format(slot)
            return slots[url]

        mail.body_text = LINK.sub(replace, mail.body_text)
        mail.body_html = LINK.sub(replace, mail.body_html)
        mail.headers = {name: LINK.sub(replace, str(value)) for name, value in mail.headers.items()}
        if slots:
            mail.links = links
            mail.save(update_fields=["body_text", "body_html", "headers", "links"])


class Migration(migrations.Migration):
    dependencies = [
        ("subscriptions", "0013_erasure_and_anonymised_declarations"),
    ]

    operations = [
        migrations.AddField(
            model_name="outgoingmail",
            name="links",
            field=models.JSONField(
                blank=True, default=dict, verbose_name="Links (beim Versand eingesetzt)"
            ),
        ),
        migrations.RunPython(take_links_out, migrations.RunPython.noop, elidable=True),
    ]
