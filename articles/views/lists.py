"""Lists of articles for readers: section, tag and the archive by year and month."""

import datetime

from django.core.exceptions import BadRequest
from django.core.paginator import InvalidPage
from django.db.models import Count
from django.db.models.functions import ExtractYear, TruncMonth
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView

from articles.models import Article, Section, Tag
from portal.lib.pagecache import reader_page

PAGE_SIZE = 20


class ReaderPaginationMixin:
    """Pagination that tells a malformed page number (400) from a missing page (404).

    With empty_is_404 a list with nothing visible is a 404, so a tag or month
    that only drafts use does not reveal itself. (ListView's own allow_empty
    would ask the database a second time.)
    """

    paginate_by = PAGE_SIZE
    empty_is_404 = False

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset, page_size, allow_empty_first_page=not self.empty_is_404
        )
        raw = self.request.GET.get(self.page_kwarg) or "1"
        try:
            number = int(raw)
        except ValueError:
            raise BadRequest(_("Die Seitenzahl muss eine ganze Zahl sein.")) from None
        try:
            page = paginator.page(number)
        except InvalidPage:
            raise Http404(_("Diese Seite gibt es nicht.")) from None
        return paginator, page, page.object_list, page.has_other_pages()


@reader_page(params=("page",), topics=lambda slug: (f"section:{slug}", "pictures"))
class SectionView(ReaderPaginationMixin, ListView):
    template_name = "articles/section.html"
    context_object_name = "articles"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return Article.objects.published().for_listing().filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            section=self.section, current_section_slug=self.section.slug, **kwargs
        )


@reader_page(params=("page",), topics=lambda slug: (f"tag:{slug}", "tags", "pictures"))
class TagView(ReaderPaginationMixin, ListView):
    template_name = "articles/tag.html"
    context_object_name = "articles"
    empty_is_404 = True

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return Article.objects.published().for_listing().filter(tagged_items__tag=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


def _month_start(year, month):
    """The first moment of a month in Berlin time; 404 for months that cannot exist."""
    try:
        return timezone.make_aware(datetime.datetime(year, month, 1))
    except ValueError:
        raise Http404(_("Diesen Monat gibt es nicht.")) from None


def _next_month(start):
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    return _month_start(year, month)


@reader_page(topics=("archive",))
class ArchiveView(TemplateView):
    """Every year with published articles, with how many there are."""

    template_name = "articles/archive.html"

    def get_context_data(self, **kwargs):
        years = (
            Article.objects.published()
            .annotate(year=ExtractYear("publish_at"))
            .values("year")
            .annotate(count=Count("pk"))
            .order_by("-year")
        )
        return super().get_context_data(years=years, **kwargs)


@reader_page(topics=("archive",))
class ArchiveYearView(TemplateView):
    """The months of one year with published articles."""

    template_name = "articles/archive_year.html"

    def get_context_data(self, **kwargs):
        year = self.kwargs["year"]
        start, end = _month_start(year, 1), _month_start(year + 1, 1)
        months = (
            Article.objects.published()
            .filter(publish_at__gte=start, publish_at__lt=end)
            .annotate(month=TruncMonth("publish_at"))
            .values("month")
            .annotate(count=Count("pk"))
            .order_by("month")
        )
        if not months:
            raise Http404(_("In diesem Jahr ist nichts erschienen."))
        return super().get_context_data(months=months, **kwargs)


@reader_page(
    params=("page",), topics=lambda year, month: (f"month:{year:04d}-{month:02d}", "pictures")
)
class ArchiveMonthView(ReaderPaginationMixin, ListView):
    template_name = "articles/archive_month.html"
    context_object_name = "articles"
    empty_is_404 = True

    def get_queryset(self):
        self.month = _month_start(self.kwargs["year"], self.kwargs["month"])
        return (
            Article.objects.published()
            .for_listing()
            .filter(publish_at__gte=self.month, publish_at__lt=_next_month(self.month))
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(month=self.month, **kwargs)
