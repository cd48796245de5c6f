from django import template
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.db.models import Max, Min
from django.utils import timezone

register = template.Library()


@register.inclusion_tag("admin/date_hierarchy.html")
def fast_date_hierarchy(cl):
    """Django's date hierarchy, but its first level costs two index lookups.

    Django lists the years with SELECT DISTINCT over the whole table (about
    90 ms at 200,000 articles, on every list view). The years between the
    first and the last article are the same list without the scan; deeper
    levels are already limited to one year, so Django's own code serves them.
    """
    field = cl.date_hierarchy
    if any(key.startswith(f"{field}__") for key in cl.params):
        return date_hierarchy(cl)
    bounds = cl.queryset.aggregate(first=Min(field), last=Max(field))
    if not bounds["first"]:
        return {"show": False}
    first, last = (timezone.localtime(bounds[k]) for k in ("first", "last"))
    if first.year == last.year:
        return date_hierarchy(cl)
    year_field = f"{field}__year"
    return {
        "show": True,
        "back": None,
        "choices": [
            {
                "link": cl.get_query_string({year_field: str(year)}, [f"{field}__"]),
                "title": str(year),
            }
            for year in range(first.year, last.year + 1)
        ],
    }
