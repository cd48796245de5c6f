"""Topic versions behind the reader caches: exact, narrow, and no queue for writers."""

import datetime
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from ads.models import Campaign, Vendor
from articles.models import Article, Image, Section, Tag
from portal.lib import topics
from portal.models import LegalText, Publisher
from tests.factories import (
    make_article,
    make_campaign,
    make_image,
    make_section,
    make_vendor,
)


def version(*names):
    return topics.versions(names, timezone.now())


@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_in_one_section_at_once_do_not_wait_for_each_other():
    section = make_section("Politik", slug="politik")
    first = make_article(section=section, headline="Erster")
    second = make_article(section=section, headline="Zweiter")
    before = version("section:politik", "front", "articles")
    saved, release, failures = threading.Event(), threading.Event(), []

    def slow_editor():
        try:
            with transaction.atomic():
                Article.objects.filter(pk=first.pk).update(headline="Erster, geändert")
                saved.set()
                release.wait(10)
        except Exception as error:  # reported below; a thread cannot fail the test
            failures.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_editor)
    thread.start()
    try:
        assert saved.wait(10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            # Would raise "canceling statement due to lock timeout" if the two
            # transactions shared a row to lock: the same topics, the same moment.
            Article.objects.filter(pk=second.pk).update(headline="Zweiter, geändert")
        between = version("section:politik", "front", "articles")
    finally:
        release.set()
        thread.join(10)

    assert not failures
    # Each commit is seen at once, the other's uncommitted one not before it commits.
    assert before != between != version("section:politik", "front", "articles")


@pytest.fixture
def archive():
    """An old article and 60 newer ones in another section."""
    politik, technik = make_section("Politik", slug="politik"), make_section("Technik")
    old = make_article(
        section=politik,
        tags=["OZG"],
        headline="Aus dem Archiv",
        publish_at=timezone.now() - datetime.timedelta(days=900),
    )
    for _ in range(6):  # newer ones in its own section: no longer among its newest
        make_article(section=politik, publish_at=timezone.now() - datetime.timedelta(days=10))
    for day in range(60):
        make_article(section=technik, publish_at=timezone.now() - datetime.timedelta(hours=day))
    return old


@pytest.mark.django_db
def test_editing_an_old_article_renews_its_page_and_lists_not_the_front(archive):
    month = f"month:{timezone.localtime(archive.publish_at):%Y-%m}"
    mine = (f"article:{archive.pk}", "section:politik", "tag:ozg", month, "articles")
    others = ("front", "top", "archive", "sections", "tags", "ads")
    before_mine, before_others = version(*mine), version(*others)

    Article.objects.filter(pk=archive.pk).update(teaser="Neu")

    after = version(*mine)
    assert all(a != b for a, b in zip(before_mine, after, strict=True))
    assert version(*others) == before_others


@pytest.mark.django_db
def test_editing_one_of_the_newest_articles_renews_the_front_and_its_sections_top():
    newest = make_article(headline="Ganz neu")
    before = version("front", "top", "archive")

    Article.objects.filter(pk=newest.pk).update(headline="Ganz neu, korrigiert")

    front, top, archive = version("front", "top", "archive")
    assert front != before[0] and top != before[1]
    assert archive == before[2]  # no count changed


@pytest.mark.django_db
def test_publishing_withdrawing_and_moving_change_the_archive_and_both_sections(archive):
    other = make_section("Wirtschaft", slug="wirtschaft")
    before = version("archive", "section:politik", "section:wirtschaft")

    Article.objects.filter(pk=archive.pk).update(section=other)
    moved = version("archive", "section:politik", "section:wirtschaft")
    Article.objects.filter(pk=archive.pk).update(status=Article.Status.DRAFT)

    assert moved[0] == before[0] and moved[1:] != before[1:]
    assert moved[1] != before[1] and moved[2] != before[2]
    assert version("archive")[0] != moved[0]


@pytest.mark.django_db
def test_a_scheduled_article_counts_when_its_time_comes(archive):
    moment = timezone.now() + datetime.timedelta(hours=2)
    make_article(section=archive.section, publish_at=moment)
    names = ("front", "section:politik", "archive")
    before_time = topics.versions(names, moment - datetime.timedelta(seconds=1))

    at_time = topics.versions(names, moment)

    assert all(a < b for a, b in zip(before_time, at_time, strict=True))


@pytest.mark.django_db
def test_a_campaign_counts_when_it_starts_and_when_it_ends():
    starts = timezone.now() + datetime.timedelta(hours=1)
    make_campaign(starts_at=starts, ends_at=starts + datetime.timedelta(days=1))
    just_before = topics.versions(["ads"], starts - datetime.timedelta(seconds=1))[0]

    assert topics.versions(["ads"], starts)[0] == just_before + 1
    assert topics.versions(["ads"], starts + datetime.timedelta(days=1))[0] == just_before + 2


@pytest.mark.django_db
def test_each_table_renews_its_own_topics():
    article = make_article(tags=["OZG"], lead_image=make_image())
    vendor = make_vendor()
    article.vendors.add(vendor)
    campaign = make_campaign()
    writes = [
        (lambda: Section.objects.update(name="X"), "sections"),
        (lambda: Tag.objects.update(name="Y"), "tags"),
        (lambda: Image.objects.update(caption="Neu"), "pictures"),
        (lambda: article.tags.add("Cloud"), "tag:cloud"),
        (
            lambda: article.links.create(url="https://example.org", label="Quelle"),
            f"article:{article.pk}",
        ),
        (lambda: article.vendors.remove(vendor), "articles"),
        (lambda: Vendor.objects.update(city="Ahrensburg"), "itguide"),
        (lambda: Campaign.objects.filter(pk=campaign.pk).update(weight=20), "ads"),
        (lambda: LegalText.objects.filter(kind="agb").update(title="AGB, neu"), "site"),
        (lambda: Publisher.objects.update(name="Verlag"), "site"),
    ]
    for write, topic in writes:
        before = version(topic)
        write()
        assert version(topic) != before, topic


@pytest.mark.django_db
def test_compacting_keeps_every_version(archive):
    names = ("front", "articles", f"article:{archive.pk}", "archive")
    make_article(publish_at=timezone.now() + datetime.timedelta(seconds=-1))
    before = version(*names)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {topics.WRITES}")  # noqa: S608
        rows_before = cursor.fetchone()[0]
        # As if this connection had ended: its rows are folded like an ended one's.
        cursor.execute(f"UPDATE {topics.WRITES} SET backend = -1")  # noqa: S608

        output = io.StringIO()
        call_command("compact_topics", stdout=output)

        cursor.execute(f"SELECT count(*) FROM {topics.WRITES} WHERE backend = -1")  # noqa: S608
        assert cursor.fetchone()[0] == 0
    assert version(*names) == before
    assert rows_before > 0
    assert output.getvalue().startswith("Zählzeilen:")


@pytest.mark.django_db
def test_an_import_counts_each_topic_once_per_statement_and_every_statement_counts():
    section = make_section()
    before = version("articles", f"section:{section.slug}")
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            headline=f"Import {n}", slug=f"import-{n}", section=section,
            status="published", publish_at=now - datetime.timedelta(days=n),
        )
        for n in range(1, 301)
    )  # fmt: skip
    # One statement, 300 rows: each topic moved once, not 300 times (a row
    # updated 300 times in one transaction is what made imports quadratic).
    after_import = version("articles", f"section:{section.slug}")
    assert after_import == tuple(v + 1 for v in before)
    # A later statement in the same transaction counts again: a reader
    # between the two must not keep what the first one left.
    Article.objects.filter(slug="import-1").update(headline="Import eins")
    assert version("articles")[0] == after_import[0] + 1


@pytest.mark.django_db
def test_a_bulk_import_renews_every_page_once_at_its_end(archive):
    section = make_section()
    names = ("front", "articles", f"section:{section.slug}", f"article:{archive.pk}", "ads")
    before = version(*names)
    with topics.bulk_import():
        Article.objects.bulk_create(
            Article(
                headline=f"Import {n}", slug=f"bulk-{n}", section=section,
                status="published", publish_at=timezone.now(),
            )
            for n in range(50)
        )  # fmt: skip
        Article.objects.filter(slug="bulk-1").update(headline="Import eins")
        # Not counted row by row while it runs ...
        assert version(*names) == before
    # ... but once for everything when it ends: no page shows the old state.
    assert version(*names) == tuple(v + 1 for v in before)
    # Afterwards writes count as ever.
    Article.objects.filter(slug="bulk-2").update(headline="Import zwei")
    assert version("articles")[0] == before[1] + 2
