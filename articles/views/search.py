"""The search page: full text with filters, newest or most relevant first."""

import re

from django.core.cache import cache
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from articles.filters import ArticleSearchFilter, section_list
from articles.models import Article
from articles.search import MAX_QUERY_LENGTH, search, with_highlights
from portal.lib.pagecache import CACHE_SECONDS, reader_page, topic_versions

SEARCH_PAGE_SIZE = 20


@reader_page(
    params=("q", "page", "sortierung", "bereich", "art", "stichwort", "von", "bis"),
    topics=("articles", "tags", "pictures"),
)
def search_view(request):
    """Suche: full text with filters, by relevance or date, highlighted."""
    text = " ".join(request.GET.get("q", "").split())
    # The section menu of the filters, from the cache while the content is unchanged.
    sections = cache.get_or_set(
        f"search:sections:{topic_versions(request, ['sections'])}", section_list, CACHE_SECONDS
    )
    filters = ArticleSearchFilter(
        request.GET, queryset=Article.objects.published(), sections=sections
    )
    context = {
        "query": text,
        "filters": filters,
        "by_date": request.GET.get("sortierung") == "datum",
        "without_page": without_page(request),
    }
    status = 200
    number = request.GET.get("page") or "1"
    if len(text) > MAX_QUERY_LENGTH:
        context["problem"] = _(
            "Ihre Suchanfrage ist zu lang. Bitte verwenden Sie höchstens %(max)d Zeichen."
        ) % {"max": MAX_QUERY_LENGTH}
        status = 400
    elif not filters.is_valid():
        status = 400
    elif not re.fullmatch(r"[0-9]{1,6}", number) or int(number) < 1:
        context["problem"] = _("Die Seitenzahl muss eine ganze Zahl ab 1 sein.")
        status = 400
    elif text:
        since, until = filters.date_range()
        found = search(filters.qs, text, by_date=context["by_date"], since=since, until=until)
        paginator = Paginator(found.ids, SEARCH_PAGE_SIZE, allow_empty_first_page=True)
        page = paginator.page(number) if int(number) <= paginator.num_pages else None
        context.update(
            count=len(found.ids),
            capped=not found.complete,
            page_obj=page,
            results=with_highlights(articles_in_order(page.object_list), text) if page else [],
            beyond_last_page=page is None,
        )
    return render(request, "articles/search.html", context, status=status)


def without_page(request):
    """The request's query string without ``page``, for links to other pages of a list."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def articles_in_order(ids):
    """The visible articles with these ids, for a list, in the order of ``ids``."""
    by_id = Article.objects.published().for_listing().in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]
