"""The parts of reader pages that articles draws for many pages at once.

Fragments of the page cache (portal.lib.pagecache, registered in
articles.apps), each cached once under its own topics: publishing renews
the "Aktuelle Meldungen" box and the section's related list, not every
page that shows them.
"""

from django.db.models import Q
from django.template.loader import render_to_string

from articles.models import Article
from articles.search import build_query

LATEST_COUNT = 8
RELATED_COUNT = 5
VENDOR_ARTICLES = 10


def latest_box(request):
    """Aktuelle Meldungen: the newest articles of the whole site (topic ``front``)."""
    latest = Article.objects.published().only("pk", "slug", "kicker", "headline", "publish_at")
    return render_to_string(
        "articles/includes/latest_box.html", {"latest_articles": latest[:LATEST_COUNT]}
    )


def related(request, section_id):
    """The section's newest articles, kept once per section (topic ``top``).

    One more than the list shows: below one of them, that one is left out
    (``related_without``). Each teaser is rendered once.
    """
    articles = list(
        Article.objects.published()
        .for_listing()
        .filter(section_id=section_id)[: RELATED_COUNT + 1]
    )
    if not articles:
        return None
    heading, end = render_to_string(
        "articles/includes/related.html", {"section": articles[0].section}
    ).split("<!--teasers-->")
    teasers = [
        (article.pk, render_to_string("includes/teaser.html", {"article": article, "level": 3}))
        for article in articles
    ]
    return heading, teasers, end


def related_without(kept, section_id, article_pk):
    """Below an article: the newest others of its section."""
    if kept is None:
        return ""
    heading, teasers, end = kept
    others = [html for pk, html in teasers if pk != article_pk][:RELATED_COUNT]
    return heading + "".join(others) + end if others else ""


def related_with_picks(request, section_id, pick_ids):
    """Below an article with hand-picked related articles: those first, in the editor's
    order, then the section's newest (kept once per section and set of picks).

    Picks that readers may not see (a draft, one taken back) are left out.
    """
    pick_ids = list(pick_ids)
    by_pk = Article.objects.published().for_listing().in_bulk(pick_ids)
    picked = [by_pk[pk] for pk in pick_ids if pk in by_pk]
    newest = list(
        Article.objects.published()
        .for_listing()
        .filter(section_id=section_id)
        .exclude(pk__in=pick_ids)[: RELATED_COUNT + 1]
    )
    if not picked and not newest:
        return None
    section = newest[0].section if newest else picked[0].section
    heading, end = render_to_string(
        "articles/includes/related.html", {"section": section, "picked": bool(picked)}
    ).split("<!--teasers-->")

    def teasers(articles):
        return [
            (
                article.pk,
                render_to_string("includes/teaser.html", {"article": article, "level": 3}),
            )
            for article in articles
        ]

    return heading, teasers(picked), teasers(newest), end


def related_with_picks_without(kept, section_id, article_pk, pick_ids):
    """The picks, then the section's newest others, up to the usual count."""
    if kept is None:
        return ""
    heading, picked, newest, end = kept
    others = [html for pk, html in newest if pk != article_pk]
    shown = [html for _pk, html in picked] + others[: max(RELATED_COUNT - len(picked), 0)]
    return heading + "".join(shown) + end if shown else ""


def articles_about(vendor_pk, mention_name, limit=VENDOR_ARTICLES):
    """Visible articles linked to the IT-Guide vendor or naming it, newest first (one query).

    Linked: the editors chose the vendor on the article. Naming: the vendor's
    name without its legal form ("con terra", not "con terra GmbH") as a
    phrase in the text. A vendor's name is rare in the archive, so the
    phrase is looked up in the whole index at once, not in date windows as
    the search page does for common words.
    """
    linked = Article.vendors.through.objects.filter(vendor_id=vendor_pk).values("article_id")
    named = build_query('"{}"'.format(mention_name.replace('"', " ")))
    return list(
        Article.objects.published()
        .for_listing()
        .filter(Q(pk__in=linked) | Q(search_vector=named))
        .order_by("-publish_at", "-id")[:limit]
    )


def vendor_articles(request, vendor_pk, mention_name, vendor_name):
    """Our articles about an IT-Guide vendor, on its profile (topic ``articles``)."""
    context = {"articles": articles_about(vendor_pk, mention_name), "vendor_name": vendor_name}
    return render_to_string("articles/includes/vendor_articles.html", context)
