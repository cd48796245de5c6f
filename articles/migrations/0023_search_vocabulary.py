from django.db import migrations

# Every word the search index holds, as it holds it (german stems, "simple"
# for numbers). A search for "Registermodernis" asks the index for every word
# that begins so; PostgreSQL answers such a prefix by reading all their
# articles into a bitmap before it can narrow by date or section (13 ms at
# 200,000 articles), while the same words named one by one are narrowed as
# they are read (1 ms). articles.search looks the words up here first.
# Statement triggers keep it complete whatever writes the articles (save,
# update(), COPY); words are never removed (one no article has any more
# finds nothing). Inserted in order, so two writers adding the same new
# words cannot deadlock.
VOCABULARY = """
CREATE TABLE articles_searchword (lexeme text COLLATE "C" PRIMARY KEY);

CREATE FUNCTION articles_searchword_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_searchword (lexeme)
    SELECT DISTINCT word FROM changed, unnest(tsvector_to_array(changed.search_vector)) AS word
    ORDER BY word
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER articles_searchword_added AFTER INSERT ON articles_article
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION articles_searchword_add();
CREATE TRIGGER articles_searchword_changed AFTER UPDATE ON articles_article
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION articles_searchword_add();

INSERT INTO articles_searchword (lexeme)
SELECT word FROM ts_stat('SELECT search_vector FROM articles_article') ORDER BY word;
"""

NO_VOCABULARY = """
DROP TRIGGER articles_searchword_changed ON articles_article;
DROP TRIGGER articles_searchword_added ON articles_article;
DROP FUNCTION articles_searchword_add();
DROP TABLE articles_searchword;
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0022_revocable_preview_links")]

    operations = [migrations.RunSQL(VOCABULARY, NO_VOCABULARY)]
