from django.db import migrations

SAMPLE = (
    "<p><strong>Mustertext:</strong> Bitte in der Redaktion unter „Rechtstexte“ durch den "
    "geprüften Text ersetzen.</p>"
)
# The sample of 0002: no purposes, no legal bases, no periods, no IP addresses.
OLD = (
    SAMPLE + "<h2>Verantwortlicher</h2><p>Verantwortlich für die Datenverarbeitung ist der im "
    "Impressum genannte Verlag.</p><h2>Welche Daten wir verarbeiten</h2><p>Leserinnen und "
    "Leser erhalten keine Cookies. Für Abonnements speichern wir Name, Anschrift und "
    "E-Mail-Adresse, für den Newsletter die E-Mail-Adresse und den Nachweis Ihrer "
    "Einwilligung.</p><h2>Ihre Rechte</h2><p>Auskunft, Berichtigung, Löschung, "
    "Einschränkung, Widerspruch und Datenübertragbarkeit (Art. 15 bis 21 DSGVO); Beschwerde "
    "bei einer Aufsichtsbehörde.</p>"
)
# What the portal really does (GDPR Art. 13): each processing with its purpose and legal
# basis. Periods, recipients and the contact are not in the text: the page adds them from
# the settings under it (subscriptions.privacy), so they cannot drift from what is applied.
NEW = (
    SAMPLE + "<h2>Verantwortlicher</h2><p>Verantwortlich für die Datenverarbeitung ist der im "
    '<a href="/impressum/">Impressum</a> genannte Verlag.</p>'
    "<h2>Wenn Sie das Portal lesen</h2><p>Sie erhalten keine Cookies; wir setzen keine "
    "Analyse- oder Werbedienste Dritter ein. Ihr Browser übermittelt beim Aufruf technisch "
    "Ihre IP-Adresse; wir verwenden sie, um die Seite auszuliefern, und speichern sie in den "
    "Protokollen des Servers nicht. Anzeigen liefern wir selbst aus und zählen "
    "Einblendungen und Klicks, ohne IP-Adressen zu speichern: doppelte Klicks erkennen wir "
    "für kurze Zeit an einem verschlüsselten Schlüssel, der sich nicht in eine Adresse "
    "zurückrechnen lässt. Rechtsgrundlage ist unser berechtigtes Interesse an einem "
    "sicheren Betrieb und an richtig abgerechneten Anzeigen (Art. 6 Abs. 1 lit. f "
    "DSGVO).</p>"
    "<h2>Formulare</h2><p>Was Sie in ein Formular eingeben (Bestellung, Kündigung, "
    "Widerruf, Newsletter), verarbeiten wir, um Ihr Anliegen zu erledigen (Art. 6 Abs. 1 "
    "lit. b DSGVO); Kündigungen und Widerrufe bestätigen wir Ihnen, wie es das Gesetz "
    "verlangt (Art. 6 Abs. 1 lit. c DSGVO mit § 312k BGB). Gegen massenhaftes Absenden "
    "zählen wir Absendungen je Absender für eine Stunde, auch dabei nur als verschlüsselten "
    "Schlüssel (Art. 6 Abs. 1 lit. f DSGVO). Eine Erklärung wird immer gespeichert.</p>"
    "<h2>Abonnement und Aboverwaltung</h2><p>Für ein Abonnement speichern wir Name, "
    "Anschrift, E-Mail-Adresse, Ihre Verträge, Ihre Erklärungen (etwa Kündigungen und "
    "Widerrufe) und die E-Mails, die wir Ihnen dazu schicken (Art. 6 Abs. 1 lit. b DSGVO). "
    "Nach dem Ende des Vertrags bewahren wir auf, was Handels- und Steuerrecht verlangen "
    "(§ 257 HGB, § 147 AO; Art. 6 Abs. 1 lit. c DSGVO), und anonymisieren den Rest. In der "
    "Aboverwaltung melden Sie sich mit einem Link an, den wir Ihnen per E-Mail schicken; "
    "erst dann setzt Ihr Browser ein Sitzungs-Cookie, das mit dem Schließen des Browsers "
    "endet (technisch erforderlich, § 25 Abs. 2 Nr. 2 TDDDG). Die Links in unseren E-Mails "
    "speichern wir nicht.</p>"
    "<h2>Newsletter</h2><p>Für den Newsletter speichern wir Ihre E-Mail-Adresse und als "
    "Nachweis Ihrer Einwilligung (Art. 6 Abs. 1 lit. a, Art. 7 Abs. 1 DSGVO), wann und von "
    "welcher IP-Adresse Sie sich angemeldet und die Anmeldung bestätigt haben. Sie können "
    "die Einwilligung jederzeit widerrufen, über den Link in jeder Ausgabe.</p>"
    "<h2>Ihre Rechte</h2><p>Sie haben das Recht auf Auskunft (Art. 15 DSGVO), "
    "Berichtigung (Art. 16), Löschung (Art. 17), Einschränkung der Verarbeitung (Art. 18), "
    "Datenübertragbarkeit (Art. 20) und Widerspruch gegen Verarbeitungen auf Grund "
    "berechtigter Interessen (Art. 21). Abonnentinnen und Abonnenten sehen alle Daten, die "
    "wir über sie gespeichert haben, in der Aboverwaltung unter „Meine Daten“ und können "
    "sie dort als Datei herunterladen. Eine Einwilligung können Sie jederzeit mit Wirkung "
    "für die Zukunft widerrufen (Art. 7 Abs. 3 DSGVO). Verlangen Sie die Löschung, "
    "löschen wir sofort, was wir nicht aufbewahren müssen, und teilen Ihnen mit, was das "
    "Gesetz uns bis wann aufzubewahren verpflichtet; solange ein Abonnement läuft, brauchen "
    "wir Name, Anschrift und E-Mail-Adresse, um es zu erfüllen. Sie können sich bei einer "
    "Datenschutz-Aufsichtsbehörde beschweren (Art. 77 DSGVO).</p>"
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
