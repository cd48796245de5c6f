import importlib

from django.db import migrations

from portal.lib.topics import trigger_function

before = importlib.import_module("articles.migrations.0017_topics")

# articles_topics_of asks "is it among the 60 newest?" and "among its
# section's 6 newest?" for every article row written. Both are meant to read
# a few entries of a publish_at index from the top. Without statistics (a
# fresh table, or rows written earlier in the same long transaction, as in an
# import) the planner chose a bitmap scan and a sort of every published
# article instead: 18 ms per call at 500 articles, and an import of 200,000
# did not finish in 40 minutes. Within the function those plans are never
# right, so they are switched off there.
ORDERED = """
ALTER FUNCTION articles_topics_of(articles_article) SET enable_bitmapscan = off;
ALTER FUNCTION articles_topics_of(articles_article) SET enable_sort = off;
"""
UNORDERED = "ALTER FUNCTION articles_topics_of(articles_article) RESET ALL;"

# The topics of an article are asked once per row written, not eight times:
# the old row's only where what decides them (section, status, time,
# "featured") changed, else they are the new row's; the future only for a
# scheduled article. A tag added or removed rewrites its articles
# (articles_retag_articles, 0011), whose own trigger then counts their
# topics; the tag assignment itself adds only the tags' lists.
ARTICLE = """
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND (
        OLD.section_id, OLD.status, OLD.publish_at, OLD.featured)
        IS DISTINCT FROM (NEW.section_id, NEW.status, NEW.publish_at, NEW.featured)) THEN
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
        IF TG_OP <> 'DELETE' AND NEW.status = 'published' AND NEW.publish_at > now() THEN
            PERFORM portal_touch_at(
                articles_topics_of(NEW) || ARRAY['archive', 'front', 'top'],
                NEW.publish_at
            );
        END IF;
    END IF;
"""

TAGGED = """
    PERFORM portal_touch(
        ARRAY(SELECT 'tag:' || slug FROM articles_tag WHERE id IN (OLD.tag_id, NEW.tag_id))
    );
"""


UNCHANGED = [
    ("articles_link_topics", before.LINKED),
    ("articles_vendor_link_topics", before.VENDOR_LINKED),
    ("articles_picture_topics", before.PICTURE),
    ("articles_section_topics", "    PERFORM portal_touch(ARRAY['sections', 'articles']);"),
    ("articles_tag_topics", "    PERFORM portal_touch(ARRAY['tags']);"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0018_kind_index"),
        ("portal", "0005_touch_once_per_statement"),
    ]

    operations = [
        migrations.RunSQL(ORDERED, UNORDERED),
        migrations.RunSQL(
            trigger_function("articles_article_topics", ARTICLE)
            + trigger_function("articles_tagged_topics", TAGGED),
            trigger_function("articles_article_topics", before.ARTICLE)
            + trigger_function("articles_tagged_topics", before.TAGGED),
        ),
        # The others step aside in a bulk import too (topics.bulk_import).
        migrations.RunSQL(
            "".join(trigger_function(name, body) for name, body in UNCHANGED),
            migrations.RunSQL.noop,
        ),
    ]
