"""Template tags of the back office: a date hierarchy that stays fast with years of archive."""

from django import template
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst

register = template.Library()


@register.inclusion_tag("admin/date_hierarchy.html")
def fast_date_hierarchy(cl):
    """Django's date hierarchy, but its first level costs two index lookups.

    Django lists the years with SELECT DISTINCT over the whole table (about
    90 ms at 200,000 articles, on every list view). The years between the
    first and the last article are the same list without the scan. Once a
    date is chosen, the rows are limited to it and Django's own code serves.
    """
    field = cl.date_hierarchy
    if any(key.startswith(f"{field}__") for key in cl.params):
        return date_hierarchy(cl)
    bounds = cl.queryset.aggregate(first=Min(field), last=Max(field))
    if not bounds["first"]:
        return {"show": False}
    first, last = (timezone.localtime(bounds[k]) for k in ("first", "last"))

    def link(**lookups):
        filters = {f"{field}__{name}": str(value) for name, value in lookups.items()}
        return cl.get_query_string(filters, [f"{field}__"])

    if first.year != last.year:
        choices = [
            {"link": link(year=year), "title": str(year)}
            for year in range(first.year, last.year + 1)
        ]
    elif (first.month, first.day) == (last.month, last.day):
        choices = [{"title": capfirst(date_format(first, "MONTH_DAY_FORMAT"))}]
    else:
        # All within one year: its months (a DISTINCT over that year's rows only).
        months = cl.queryset.datetimes(field, "month")
        choices = [
            {
                "link": link(year=month.year, month=month.month),
                "title": capfirst(date_format(month, "YEAR_MONTH_FORMAT")),
            }
            for month in months
        ]
    return {"show": True, "back": None, "choices": choices}
