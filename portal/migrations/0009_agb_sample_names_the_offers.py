from django.db import migrations

SAMPLE = (
    "<p><strong>Mustertext:</strong> Bitte in der Redaktion unter „Rechtstexte“ durch den "
    "geprüften Text ersetzen.</p>"
)
# The sample of 0002: it had every plan renew and be "jederzeit" cancellable, fixed terms too.
OLD = (
    SAMPLE + "<h2>Vertragsschluss</h2><p>Der Vertrag kommt mit unserer Bestätigung der "
    "Bestellung zustande.</p><h2>Laufzeit und Kündigung</h2><p>Nach der Mindestlaufzeit "
    "verlängert sich das Abonnement auf unbestimmte Zeit und ist jederzeit mit einer Frist "
    "von einem Monat kündbar, zum Beispiel über „Verträge hier kündigen“ unten auf jeder "
    "Seite.</p><h2>Widerrufsrecht</h2><p>Online geschlossene Verträge können Sie binnen "
    "14 Tagen widerrufen („Vertrag widerrufen“).</p>"
)
# The AGB page shows each offer's terms under the text (subscriptions.conditions), so the
# sample refers to them rather than repeating one plan's; it also says how the order works
# (§ 312i Abs. 1 Nr. 2 BGB with Art. 246c EGBGB).
NEW = (
    SAMPLE + "<h2>Vertragsschluss</h2><p>Sie wählen im Bestellformular ein Angebot und "
    "geben Ihre Anschrift und E-Mail-Adresse an. Wir schicken Ihnen einen Link; auf der "
    "Seite hinter diesem Link sehen Sie Ihre Bestellung noch einmal und können sie "
    "berichtigen, indem Sie neu bestellen. Mit dem Klick auf „Zahlungspflichtig bestellen“ "
    "dort kommt der Vertrag zustande. Vertragssprache ist Deutsch.</p>"
    "<h2>Vertragstext</h2><p>Wir speichern den Vertragstext und schicken ihn Ihnen mit "
    "diesen Geschäftsbedingungen per E-Mail, sobald der Vertrag geschlossen ist.</p>"
    "<h2>Preise, Laufzeit und Kündigung</h2><p>Preis einschließlich Umsatzsteuer, "
    "Versandkosten, Zahlungsarten, Laufzeit, Verlängerung und Kündigungsfrist jedes "
    "Angebots stehen unten unter „Unsere Angebote und ihre Bedingungen“ und bei der "
    "Bestellung. Kündigen können Sie zum Beispiel über „Verträge hier kündigen“ unten auf "
    "jeder Seite.</p><h2>Widerrufsrecht</h2><p>Online geschlossene Verträge können Sie "
    "binnen 14 Tagen widerrufen („Vertrag widerrufen“).</p>"
)


def update_sample(apps, schema_editor):
    """Only the untouched sample: a text the Chefredaktion edited stays as it is."""
    LegalText = apps.get_model("portal", "LegalText")
    LegalText.objects.filter(kind="agb", body=OLD).update(body=NEW)


def restore_sample(apps, schema_editor):
    LegalText = apps.get_model("portal", "LegalText")
    LegalText.objects.filter(kind="agb", body=NEW).update(body=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0008_task_in_the_admin"),
    ]

    operations = [
        migrations.RunPython(update_sample, restore_sample),
    ]
