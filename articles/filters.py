"""The search page's filters (django-filter), with German parameter names."""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Section, Tag
from articles.search import facets


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# Dates a search may be limited to: wide of any archive, far from the calendar's ends.
FIRST_DAY, LAST_DAY = datetime.date(1900, 1, 1), datetime.date(2199, 12, 31)


def _end_of(day):
    return _start_of(day + datetime.timedelta(days=1))


def section_list():
    """[(pk, slug, name), ...] of every section, in menu order."""
    return list(Section.objects.values_list("pk", "slug", "name"))


class ArticleSearchFilter(django_filters.FilterSet):
    # Section, kind and tag are looked up in the search index's facets
    # (Article.search_facets), so a narrowed search reads only what it shows.
    # The choices are the sections as of the content version (see __init__).
    bereich = django_filters.ChoiceFilter(
        label=_("Bereich"),
        method="filter_section",
        choices=[],
        empty_label=_("Alle Bereiche"),
    )
    art = django_filters.ChoiceFilter(
        label=_("Art"),
        method="filter_kind",
        choices=Article.Kind.choices,
        empty_label=_("Alle"),
    )
    stichwort = django_filters.CharFilter(
        label=_("Stichwort"), method="filter_tag", max_length=100
    )
    von = django_filters.DateFilter(
        label=_("von"), method="filter_from", widget=forms.DateInput(attrs={"type": "date"})
    )
    bis = django_filters.DateFilter(
        label=_("bis"), method="filter_to", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Article
        fields = ["bereich", "art", "stichwort", "von", "bis"]

    def filter_tag(self, queryset, name, value):
        """By name as typed ("ozg", "OZG") or by slug ("schul-it"), as tag pages link it."""
        tag = Tag.objects.filter(Q(name__iexact=value.strip()) | Q(slug=value.strip())).first()
        if tag is None:
            return queryset.none()
        return queryset.filter(search_facets=facets(f"t{tag.pk}"))

    def __init__(self, data=None, queryset=None, *, sections=None, **kwargs):
        """``sections``: [(pk, slug, name), ...] in menu order; else read from the database."""
        super().__init__(data, queryset, **kwargs)
        if sections is None:
            sections = section_list()
        self.section_pks = {slug: pk for pk, slug, _name in sections}
        self.filters["bereich"].extra["choices"] = [(slug, name) for _pk, slug, name in sections]

    def filter_section(self, queryset, name, slug):
        return queryset.filter(search_facets=facets(f"s{self.section_pks[slug]}"))

    def filter_kind(self, queryset, name, kind):
        return queryset.filter(search_facets=facets(f"k{kind}"))

    def filter_from(self, queryset, name, day):
        # From the start of that day in Berlin, so the publish_at index serves.
        return queryset.filter(publish_at__gte=_start_of(day))

    def filter_to(self, queryset, name, day):
        return queryset.filter(publish_at__lt=_end_of(day))

    def date_range(self):
        """(since, until) as the filters limit publish_at; None where open."""
        start, end = self.form.cleaned_data.get("von"), self.form.cleaned_data.get("bis")
        return (_start_of(start) if start else None, _end_of(end) if end else None)

    def clean_dates(self):
        """Dates outside the archive's era, or 'von' after 'bis', get a message at the field."""
        for name in ("von", "bis"):
            day = self.form.cleaned_data.get(name)
            if day and not FIRST_DAY <= day <= LAST_DAY:
                self.form.add_error(
                    name,
                    _("Bitte ein Datum zwischen %(first)s und %(last)s angeben.")
                    % {
                        "first": FIRST_DAY.strftime("%d.%m.%Y"),
                        "last": LAST_DAY.strftime("%d.%m.%Y"),
                    },
                )
        start, end = self.form.cleaned_data.get("von"), self.form.cleaned_data.get("bis")
        if start and end and start > end and not self.form.errors:
            self.form.add_error("bis", _("Das Ende des Zeitraums liegt vor seinem Anfang."))

    def is_valid(self):
        valid = super().is_valid()
        if valid:
            self.clean_dates()
        return valid and not self.form.errors
