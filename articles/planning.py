"""The planning calendar of the back office: weeks and months in Berlin time."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

WEEK, MONTH = "woche", "monat"
# A month cell shows this many entries and links the rest to its week.
MONTH_CELL_ENTRIES = 6


@dataclass
class PlanningCalendar:
    view: str
    day: datetime.date

    @classmethod
    def from_query(cls, query):
        """?ansicht=woche|monat&datum=2026-11-30; anything unreadable means this week."""
        view = query.get("ansicht") if query.get("ansicht") in (WEEK, MONTH) else WEEK
        try:
            day = datetime.date.fromisoformat(query.get("datum", ""))
        except ValueError:
            day = timezone.localdate()
        # Keep a month's margin inside the calendar's range, so paging never overflows.
        return cls(view, min(max(day, datetime.date(2, 1, 1)), datetime.date(9998, 12, 1)))

    @property
    def first_day(self):
        if self.view == WEEK:
            return self.day - datetime.timedelta(days=self.day.weekday())
        first = self.day.replace(day=1)
        return first - datetime.timedelta(days=first.weekday())

    @property
    def last_day(self):
        """The Sunday that ends the shown range (inclusive)."""
        if self.view == WEEK:
            return self.first_day + datetime.timedelta(days=6)
        next_month = (self.day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        last = next_month - datetime.timedelta(days=1)
        return last + datetime.timedelta(days=6 - last.weekday())

    @property
    def start(self):
        return _midnight(self.first_day)

    @property
    def end(self):
        return _midnight(self.last_day + datetime.timedelta(days=1))

    @property
    def title(self):
        if self.view == MONTH:
            return date_format(self.day, "F Y")
        week = self.first_day.isocalendar()
        return _("KW %(week)d/%(year)d: %(first)s – %(last)s") % {
            "week": week.week,
            "year": week.year,
            "first": date_format(self.first_day, "j. F"),
            "last": date_format(self.last_day, "j. F Y"),
        }

    def link(self, day=None, view=None):
        return f"?ansicht={view or self.view}&datum={(day or self.day).isoformat()}"

    @property
    def week_link(self):
        return self.link(view=WEEK)

    @property
    def month_link(self):
        return self.link(view=MONTH)

    @property
    def previous(self):
        if self.view == WEEK:
            return self.link(self.day - datetime.timedelta(days=7))
        return self.link((self.day.replace(day=1) - datetime.timedelta(days=1)).replace(day=1))

    @property
    def next(self):
        if self.view == WEEK:
            return self.link(self.day + datetime.timedelta(days=7))
        return self.link((self.day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1))

    def entries(self, articles):
        """The articles the calendar shows, in time order: all of a week's; of a
        month only each day's first few, each carrying ``of_day``, its day's count.

        A month of the archive holds ~900 articles; the database picks the 6 a
        cell shows, so the page does not load the rest to count them.
        """
        articles = articles.filter(publish_at__gte=self.start, publish_at__lt=self.end)
        order = [F("publish_at").asc(), F("pk").asc()]
        if self.view == WEEK:
            return articles.order_by(*order)
        day = TruncDate("publish_at", tzinfo=timezone.get_current_timezone())
        return (
            articles.annotate(
                rank=Window(RowNumber(), partition_by=day, order_by=order),
                of_day=Window(Count("pk"), partition_by=day),
            )
            .filter(rank__lte=MONTH_CELL_ENTRIES)
            .order_by(*order)
        )

    def weeks(self, articles):
        """Rows of seven days, each {date, in_range, today, entries}, entries in time order.

        ``articles`` come from entries(); a month's "+ n weitere" counts what it left out.
        """
        by_day = defaultdict(list)
        for article in articles:
            by_day[timezone.localtime(article.publish_at).date()].append(article)
        today = timezone.localdate()
        days = []
        day = self.first_day
        while day <= self.last_day:
            entries = by_day.get(day, [])
            shown = entries if self.view == WEEK else entries[:MONTH_CELL_ENTRIES]
            days.append(
                {
                    "date": day,
                    "in_range": self.view == WEEK or day.month == self.day.month,
                    "today": day == today,
                    "entries": shown,
                    "more": getattr(entries[0], "of_day", len(entries)) - len(shown)
                    if entries
                    else 0,
                    "week_link": self.link(day, WEEK),
                }
            )
            day += datetime.timedelta(days=1)
        return [days[i : i + 7] for i in range(0, len(days), 7)]


def _midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
