from django.db import migrations

# Two editors saving articles with the same new word waited for each other:
# the second insert into the vocabulary's primary key waits until the first
# transaction ends (and an import holding its transaction open would keep
# every editor waiting). New words now go to a table without a unique key,
# where nobody waits; the search looks in both (articles.search), and the
# clock's merge_search_words moves them into the vocabulary every few minutes.
NEW_WORDS = """
CREATE TABLE articles_searchword_new (lexeme text COLLATE "C" NOT NULL);
CREATE INDEX articles_searchword_new_lexeme ON articles_searchword_new (lexeme);

CREATE OR REPLACE FUNCTION articles_searchword_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_searchword_new (lexeme)
    SELECT DISTINCT word
    FROM changed, unnest(tsvector_to_array(changed.search_vector)) AS word
    WHERE NOT EXISTS (SELECT 1 FROM articles_searchword WHERE lexeme = word);
    RETURN NULL;
END $$;
"""

OLD_WAY = """
CREATE OR REPLACE FUNCTION articles_searchword_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_searchword (lexeme)
    SELECT DISTINCT word FROM changed, unnest(tsvector_to_array(changed.search_vector)) AS word
    ORDER BY word
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
INSERT INTO articles_searchword (lexeme)
SELECT DISTINCT lexeme FROM articles_searchword_new ORDER BY 1 ON CONFLICT DO NOTHING;
DROP TABLE articles_searchword_new;
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0023_search_vocabulary")]

    operations = [migrations.RunSQL(NEW_WORDS, OLD_WAY)]
