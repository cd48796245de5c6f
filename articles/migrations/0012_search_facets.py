import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

# The row trigger of 0011 now also writes search_facets: the words a search is
# narrowed by (section, kind, tags, UTC month and year of publication). It runs
# on every write of an article, and the tag tables' statement triggers of 0011
# touch the articles whose tags change, so the facets cannot go stale.
FACETS = """
DROP TRIGGER articles_article_tag_names ON articles_article;
DROP FUNCTION articles_article_tag_names();

CREATE FUNCTION articles_article_search_columns() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    names text;
    tag_words text[];
    utc timestamp := timezone('UTC', NEW.publish_at);
BEGIN
    SELECT coalesce(string_agg(t.name, ' ' ORDER BY ta.id), ''),
           coalesce(array_agg('t' || t.id), '{}')
    INTO names, tag_words
    FROM articles_taggedarticle ta JOIN articles_tag t ON t.id = ta.tag_id
    WHERE ta.content_object_id = NEW.id;
    NEW.tag_names := names;
    NEW.search_facets := array_to_tsvector(array_remove(ARRAY[
        's' || NEW.section_id, 'k' || NEW.kind,
        'm' || to_char(utc, 'YYYYMM'), 'y' || to_char(utc, 'YYYY')], NULL) || tag_words);
    RETURN NEW;
END $$;
CREATE TRIGGER articles_article_search_columns BEFORE INSERT OR UPDATE ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_columns();

UPDATE articles_article SET tag_names = '';
"""

NO_FACETS = """
DROP TRIGGER articles_article_search_columns ON articles_article;
DROP FUNCTION articles_article_search_columns();

CREATE FUNCTION articles_article_tag_names() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.tag_names := coalesce((
        SELECT string_agg(t.name, ' ' ORDER BY ta.id)
        FROM articles_taggedarticle ta JOIN articles_tag t ON t.id = ta.tag_id
        WHERE ta.content_object_id = NEW.id), '');
    RETURN NEW;
END $$;
CREATE TRIGGER articles_article_tag_names BEFORE INSERT OR UPDATE ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_tag_names();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_search_with_tags"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="article", name="article_search_idx"),
        migrations.AddField(
            model_name="article",
            name="search_facets",
            field=django.contrib.postgres.search.SearchVectorField(default="", editable=False),
        ),
        migrations.RunSQL(FACETS, NO_FACETS),
        migrations.AddIndex(
            model_name="article",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector", "search_facets"], name="article_search_idx"
            ),
        ),
    ]
