"""The content version behind the reader caches: exact, and no queue for writers."""

import threading

import pytest
from django.db import connection, transaction

from articles.models import Article
from portal.lib.pagecache import content_version
from portal.models import LegalText
from tests.factories import make_article, make_vendor


@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_at_once_do_not_wait_for_each_other():
    first, second = make_article(headline="Erster"), make_article(headline="Zweiter")
    before = content_version()
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
            # transactions shared anything to lock.
            Article.objects.filter(pk=second.pk).update(headline="Zweiter, geändert")
        between = content_version()
    finally:
        release.set()
        thread.join(10)

    assert not failures
    # Each commit is seen at once, the other's uncommitted one not before it commits.
    assert before != between != content_version()


@pytest.mark.django_db
def test_every_kind_of_write_changes_the_content_version():
    article = make_article(headline="Alt", tags=["OZG"])
    seen = {content_version()}

    for write in (
        lambda: Article.objects.filter(pk=article.pk).update(teaser="Neu"),
        lambda: article.tags.add("Cloud"),
        lambda: article.section.__class__.objects.filter(pk=article.section_id).update(name="X"),
        lambda: Article.objects.filter(pk=article.pk).delete(),
    ):
        write()
        version = content_version()
        assert version not in seen
        seen.add(version)


@pytest.mark.django_db
def test_each_apps_tables_count_their_writes():
    """Every app attaches its own tables (articles, ads, portal), no app another's."""
    vendor = make_vendor()
    before = content_version()
    vendor.__class__.objects.filter(pk=vendor.pk).update(city="Ahrensburg")
    after_vendor = content_version()
    LegalText.objects.filter(kind="agb").update(title="AGB, neu")

    assert before != after_vendor != content_version()
