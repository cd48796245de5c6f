from django.conf import settings
from django.db import migrations

from portal.lib.topics import setup, topic_trigger

# The tables whose writes changed the one site-wide content version (0016).
OLD_TRIGGERS = (
    "articles_article",
    "articles_articlelink",
    "articles_image",
    "articles_section",
    "articles_tag",
    "articles_taggedarticle",
)

# Every topic an article belongs to, as it is now: its page, its section's
# and tags' lists, its month in the archive, search and sitemaps
# ("articles"), and the home page, "Aktuelle Meldungen" and the feeds
# ("front") while it is among the newest 60 or featured; "top" (the related
# lists below articles, one per section) while it is among its section's
# newest 6.
TOPICS_OF = f"""
CREATE OR REPLACE FUNCTION articles_topics_of(a articles_article) RETURNS text[]
LANGUAGE plpgsql STABLE AS $$
DECLARE
    topics text[] := ARRAY['article:' || a.id, 'articles'];
    sixtieth timestamptz;
BEGIN
    topics := topics || ARRAY(SELECT 'section:' || slug FROM articles_section WHERE id = a.section_id);
    topics := topics || ARRAY(
        SELECT 'tag:' || t.slug FROM articles_taggedarticle ta
        JOIN articles_tag t ON t.id = ta.tag_id WHERE ta.content_object_id = a.id
    );
    IF a.featured THEN
        topics := topics || 'front'::text;
    END IF;
    IF a.publish_at IS NULL THEN
        RETURN topics;
    END IF;
    topics := topics || (
        'month:' || to_char(a.publish_at AT TIME ZONE '{settings.TIME_ZONE}', 'YYYY-MM')
    );
    SELECT publish_at INTO sixtieth FROM articles_article
    WHERE status = 'published' AND publish_at <= now()
    ORDER BY publish_at DESC OFFSET 59 LIMIT 1;
    IF sixtieth IS NULL OR a.publish_at >= sixtieth THEN
        topics := topics || 'front'::text;
    END IF;
    IF (SELECT count(*) FROM (
        SELECT 1 FROM articles_article
        WHERE section_id = a.section_id AND status = 'published'
          AND publish_at <= now() AND publish_at > a.publish_at
        LIMIT 6) AS newer) < 6 THEN
        topics := topics || ARRAY['top', 'front'];
    END IF;
    RETURN topics;
END $$;
"""

ARTICLE = """
    IF TG_OP <> 'INSERT' THEN
        PERFORM portal_touch(articles_topics_of(OLD));
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM portal_touch(articles_topics_of(NEW));
    END IF;
    IF TG_OP <> 'UPDATE' OR OLD.status IS DISTINCT FROM NEW.status
       OR OLD.publish_at IS DISTINCT FROM NEW.publish_at THEN
        -- The archive's counts by year and month.
        PERFORM portal_touch(ARRAY['archive']);
        -- Scheduled: the lists it joins renew when its time comes, with no write.
        IF TG_OP <> 'DELETE' AND NEW.status = 'published' THEN
            PERFORM portal_touch_at(
                articles_topics_of(NEW) || ARRAY['archive', 'front', 'top'],
                NEW.publish_at
            );
        END IF;
    END IF;
"""

TAGGED = """
    PERFORM portal_touch(
        ARRAY(
            SELECT unnest(articles_topics_of(a)) FROM articles_article a
            WHERE a.id IN (OLD.content_object_id, NEW.content_object_id)
        )
        || ARRAY(SELECT 'tag:' || slug FROM articles_tag WHERE id IN (OLD.tag_id, NEW.tag_id))
    );
"""

LINKED = """
    PERFORM portal_touch(ARRAY['article:' || OLD.article_id, 'article:' || NEW.article_id]);
"""

VENDOR_LINKED = """
    PERFORM portal_touch(ARRAY['articles', 'article:' || OLD.article_id, 'article:' || NEW.article_id]);
"""

# An upload shows nowhere yet; a changed or deleted picture wherever it is used.
PICTURE = """
    IF TG_OP <> 'INSERT' THEN
        PERFORM portal_touch(ARRAY['pictures']);
    END IF;
"""


class Migration(migrations.Migration):
    """Writes renew the topics they change, not the whole site (portal.lib.topics)."""

    dependencies = [
        ("articles", "0016_count_writes_in_the_library"),
        ("ads", "0003_count_writes_in_the_library"),  # articles_article_vendors
    ]

    operations = [
        migrations.RunSQL(
            "".join(f"DROP TRIGGER IF EXISTS {table}_changed ON {table};\n" for table in OLD_TRIGGERS),
            migrations.RunSQL.noop,
        ),
        setup(),
        migrations.RunSQL(TOPICS_OF, "DROP FUNCTION IF EXISTS articles_topics_of(articles_article);"),
        topic_trigger("articles_article", "articles_article_topics", ARTICLE),
        topic_trigger("articles_taggedarticle", "articles_tagged_topics", TAGGED),
        topic_trigger("articles_articlelink", "articles_link_topics", LINKED),
        topic_trigger("articles_article_vendors", "articles_vendor_link_topics", VENDOR_LINKED),
        topic_trigger("articles_image", "articles_picture_topics", PICTURE),
        topic_trigger(
            "articles_section", "articles_section_topics", "    PERFORM portal_touch(ARRAY['sections', 'articles']);"
        ),
        topic_trigger("articles_tag", "articles_tag_topics", "    PERFORM portal_touch(ARRAY['tags']);"),
    ]
