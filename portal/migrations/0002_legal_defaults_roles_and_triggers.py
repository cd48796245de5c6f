from django.db import migrations

from portal.lib.roles import apply_roles

# Sample texts to replace in the back office before going live; they say so.
SAMPLE = (
    "<p><strong>Mustertext:</strong> Bitte in der Redaktion unter „Rechtstexte“ durch den "
    "geprüften Text ersetzen.</p>"
)
TEXTS = [
    ("datenschutz", "Datenschutzerklärung",
     SAMPLE + "<h2>Verantwortlicher</h2><p>Verantwortlich für die Datenverarbeitung ist der im "
     "Impressum genannte Verlag.</p><h2>Welche Daten wir verarbeiten</h2><p>Leserinnen und "
     "Leser erhalten keine Cookies. Für Abonnements speichern wir Name, Anschrift und "
     "E-Mail-Adresse, für den Newsletter die E-Mail-Adresse und den Nachweis Ihrer "
     "Einwilligung.</p><h2>Ihre Rechte</h2><p>Auskunft, Berichtigung, Löschung, "
     "Einschränkung, Widerspruch und Datenübertragbarkeit (Art. 15 bis 21 DSGVO); Beschwerde "
     "bei einer Aufsichtsbehörde.</p>"),
    ("barrierefreiheit", "Erklärung zur Barrierefreiheit",
     SAMPLE + "<p>Wir möchten, dass alle Menschen dieses Portal nutzen können, und richten uns "
     "nach den Anforderungen der WCAG 2.1 Stufe AA und des "
     "Barrierefreiheitsstärkungsgesetzes (BFSG).</p><h2>Barrieren melden</h2><p>Stoßen Sie "
     "auf eine Barriere, schreiben Sie uns an die im Impressum genannte Adresse.</p>"),
    ("agb", "Allgemeine Geschäftsbedingungen für Abonnements",
     SAMPLE + "<h2>Vertragsschluss</h2><p>Der Vertrag kommt mit unserer Bestätigung der "
     "Bestellung zustande.</p><h2>Laufzeit und Kündigung</h2><p>Nach der Mindestlaufzeit "
     "verlängert sich das Abonnement auf unbestimmte Zeit und ist jederzeit mit einer Frist "
     "von einem Monat kündbar, zum Beispiel über „Verträge hier kündigen“ unten auf jeder "
     "Seite.</p><h2>Widerrufsrecht</h2><p>Online geschlossene Verträge können Sie binnen "
     "14 Tagen widerrufen („Vertrag widerrufen“).</p>"),
]


def add_defaults(apps, schema_editor):
    Publisher = apps.get_model("portal", "Publisher")
    LegalText = apps.get_model("portal", "LegalText")
    if not Publisher.objects.exists():
        Publisher.objects.create(
            name="Verwaltung Digital Verlag GmbH (Muster)",
            street="Musterstraße 1",
            postcode="10115",
            city="Berlin",
            represented_by="Erika Beispiel (Geschäftsführerin)",
            email="redaktion@verwaltung-digital.example",
            phone="+49 30 1234567",
            register="Amtsgericht Berlin-Charlottenburg, HRB 000000 (Muster)",
            responsible="Max Muster",
            responsible_address="Musterstraße 1, 10115 Berlin",
        )
    for kind, title, body in TEXTS:
        LegalText.objects.get_or_create(kind=kind, defaults={"title": title, "body": body})


# Changes to the legal pages count as content changes (the page cache; see 0003).
TABLES = ["portal_publisher", "portal_legaltext"]
TRIGGERS = "".join(
    f"CREATE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}"
    " FOR EACH STATEMENT EXECUTE FUNCTION articles_content_changed();\n"
    for table in TABLES
)
DROP_TRIGGERS = "".join(f"DROP TRIGGER IF EXISTS {table}_changed ON {table};\n" for table in TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("articles", "0015_article_vendors"),
        ("subscriptions", "0002_roles_and_immutable_declarations"),
    ]

    operations = [
        migrations.RunPython(add_defaults, migrations.RunPython.noop),
        migrations.RunPython(apply_roles, migrations.RunPython.noop),
        migrations.RunSQL(TRIGGERS, DROP_TRIGGERS),
    ]
