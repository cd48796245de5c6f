from django.db import migrations, models

CONTENT_TABLES = [
    "articles_article",
    "articles_articlelink",
    "articles_image",
    "articles_section",
    "articles_tag",
    "articles_taggedarticle",
]

# Any statement that writes a content table counts one up in the row of its
# database connection (statement-level: a COPY of 5,000 rows counts once).
# A connection runs one transaction at a time, so no two transactions ever
# wait for the same row: editors' saves and imports never queue behind each
# other here, and no lock order can deadlock. The sum over all rows grows with
# every committed change and becomes visible exactly when the change does.
TRIGGERS = (
    """
CREATE FUNCTION articles_content_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_contentstate (backend, changes) VALUES (pg_backend_pid(), 1)
    ON CONFLICT (backend) DO UPDATE SET changes = articles_contentstate.changes + 1;
    RETURN NULL;
END $$;
"""
    + "".join(
        f"CREATE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}"
        " FOR EACH STATEMENT EXECUTE FUNCTION articles_content_changed();\n"
        for table in CONTENT_TABLES
    )
)
DROP_TRIGGERS = (
    "".join(f"DROP TRIGGER IF EXISTS {table}_changed ON {table};\n" for table in CONTENT_TABLES)
    + "DROP FUNCTION IF EXISTS articles_content_changed();\n"
)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_search_facets"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentState",
            fields=[
                ("backend", models.IntegerField(primary_key=True, serialize=False)),
                ("changes", models.BigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "Stand der Inhalte",
                "verbose_name_plural": "Stand der Inhalte",
            },
        ),
        migrations.RunSQL(TRIGGERS, DROP_TRIGGERS),
    ]
