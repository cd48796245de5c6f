from django.db import migrations

SAMPLE = (
    "<p><strong>Mustertext:</strong> Bitte in der Redaktion unter „Rechtstexte“ durch den "
    "geprüften Text ersetzen.</p>"
)
RIGHTS = (
    "<h2>Ihre Rechte</h2><p>Auskunft, Berichtigung, Löschung, "
    "Einschränkung, Widerspruch und Datenübertragbarkeit (Art. 15 bis 21 DSGVO); Beschwerde "
    "bei einer Aufsichtsbehörde.</p>"
)
# The sample of 0002: it named the data but not how long we keep them (Art. 13 Abs. 2 lit. a DSGVO).
OLD = (
    SAMPLE + "<h2>Verantwortlicher</h2><p>Verantwortlich für die Datenverarbeitung ist der im "
    "Impressum genannte Verlag.</p><h2>Welche Daten wir verarbeiten</h2><p>Leserinnen und "
    "Leser erhalten keine Cookies. Für Abonnements speichern wir Name, Anschrift und "
    "E-Mail-Adresse, für den Newsletter die E-Mail-Adresse und den Nachweis Ihrer "
    "Einwilligung.</p>" + RIGHTS
)
# The default periods of subscriptions.retention (README, "Personal data"); a
# publisher who changes a PORTAL_RETENTION_* setting changes this text too.
NEW = OLD.replace(
    RIGHTS,
    "<h2>Wie lange wir Daten speichern</h2><ul>"
    "<li>Newsletter-Anmeldungen, die nicht bestätigt werden, samt IP-Adresse: 30 Tage.</li>"
    "<li>Die IP-Adressen einer Newsletter-Einwilligung: drei Jahre nach ihrem Ende.</li>"
    "<li>Der Text versandter E-Mails: 90 Tage; Empfänger, Betreff und Datum bleiben.</li>"
    "<li>Nach dem Ende Ihres letzten Abonnements: Ihre E-Mail-Adresse bis zum Ende der "
    "Verjährungsfrist (drei Jahre ab Ende des Jahres, §§ 195, 199 BGB); Name, Anschrift und "
    "Vertragsdaten als Grundlage der Rechnungen acht Jahre ab Ende des Jahres (§ 147 AO, "
    "§ 257 HGB); danach werden sie anonymisiert.</li>"
    "<li>Kündigungen und Widerrufe: sechs Jahre ab Ende des Jahres, in dem sie eingegangen "
    "sind (Handelsbriefe, § 257 HGB, § 147 AO); danach werden sie anonymisiert.</li>"
    "</ul><p>Verlangen Sie die Löschung (Art. 17 DSGVO), löschen wir sofort, was wir nicht "
    "aufbewahren müssen, und teilen Ihnen mit, was das Gesetz uns bis wann aufzubewahren "
    "verpflichtet. Solange ein Abonnement läuft, brauchen wir Name, Anschrift und "
    "E-Mail-Adresse, um es zu erfüllen.</p>" + RIGHTS,
)


def update_sample(apps, schema_editor):
    """Only the untouched sample: a text the Chefredaktion edited stays as it is."""
    LegalText = apps.get_model("portal", "LegalText")
    LegalText.objects.filter(kind="datenschutz", body=OLD).update(body=NEW)


def restore_sample(apps, schema_editor):
    LegalText = apps.get_model("portal", "LegalText")
    LegalText.objects.filter(kind="datenschutz", body=NEW).update(body=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0009_agb_sample_names_the_offers"),
    ]

    operations = [
        migrations.RunPython(update_sample, restore_sample),
    ]
