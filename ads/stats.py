"""A campaign's daily figures for the back office: table, chart and CSV for the advertiser."""

import csv
import datetime
import io
from dataclasses import dataclass

from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import number_format

from ads.models import AdDay
from portal.lib.spreadsheets import text_cell


@dataclass
class Day:
    day: datetime.date
    impressions: int = 0
    clicks: int = 0

    @property
    def click_rate(self):
        """Clicks per hundred impressions; None before the first impression."""
        return 100 * self.clicks / self.impressions if self.impressions else None


def campaign_days(campaign):
    """Every day of the campaign up to today, with its creatives' figures added up.

    Days after the end with figures (a click on an old page) are included, so
    the totals agree with the campaign list and the CSV.
    """
    figures = (
        AdDay.objects.filter(creative__campaign=campaign)
        .values("day")
        .annotate(impressions=Sum("impressions"), clicks=Sum("clicks"))
    )
    by_day = {row["day"]: row for row in figures}
    first = min([timezone.localdate(campaign.starts_at), *by_day])
    last = min(timezone.localdate(campaign.last_moment), timezone.localdate())
    last = max([last, *by_day])
    days = []
    day = first
    while day <= last:
        row = by_day.get(day, {})
        days.append(Day(day, row.get("impressions", 0), row.get("clicks", 0)))
        day += datetime.timedelta(days=1)
    return days


def creative_totals(campaign):
    """Per creative of the campaign: (creative, Day with its totals)."""
    totals = {
        row["creative"]: row
        for row in AdDay.objects.filter(creative__campaign=campaign)
        .values("creative")
        .annotate(impressions=Sum("impressions"), clicks=Sum("clicks"))
    }
    return [
        (creative, Day(None, totals.get(creative.pk, {}).get("impressions", 0),
                       totals.get(creative.pk, {}).get("clicks", 0)))
        for creative in campaign.creatives.all()
    ]  # fmt: skip


def german_number(value, decimals=0):
    return number_format(value, decimals, use_l10n=True, force_grouping=decimals == 0)


def campaign_csv(campaign):
    """The figures per day and creative, as German spreadsheets read them (";" and ",")."""
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel opens UTF-8 only with a byte order mark
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        ["Datum", "Kampagne", "Motiv", "Platz", "Einblendungen", "Klicks", "Klickrate (%)"]
    )
    rows = (
        AdDay.objects.filter(creative__campaign=campaign)
        .select_related("creative")
        .order_by("day", "creative_id")
    )
    for row in rows:
        rate = Day(row.day, row.impressions, row.clicks).click_rate
        writer.writerow([
            row.day.strftime("%d.%m.%Y"),
            text_cell(campaign.name),
            text_cell(row.creative.alt_text),
            row.creative.get_slot_display(),
            row.impressions,
            row.clicks,
            "" if rate is None else number_format(rate, 2, use_l10n=True),
        ])  # fmt: skip
    return buffer.getvalue()


def chart(days, width=720, height=240):
    """Geometry of the chart: a bar per day for impressions, a line for clicks.

    Each series has its own scale (clicks are a few per thousand impressions),
    named on the left and right axis. Coordinates come as strings with a
    decimal point, ready for SVG attributes (German number format would break
    them).
    """
    left, right, top, bottom = 56, 48, 16, 28
    plot_width, plot_height = width - left - right, height - top - bottom
    baseline = top + plot_height
    most_impressions = max([d.impressions for d in days] + [1])
    most_clicks = max([d.clicks for d in days] + [1])
    step = plot_width / max(len(days), 1)
    label_every = max(1, len(days) // 8)
    bars, points, labels = [], [], []
    for index, day in enumerate(days):
        bar_height = plot_height * day.impressions / most_impressions
        centre = left + index * step + step / 2
        bars.append(
            {
                "x": f"{centre - step * 0.35:.1f}",
                "y": f"{baseline - bar_height:.1f}",
                "width": f"{step * 0.7:.1f}",
                "height": f"{bar_height:.1f}",
                "day": day,
            }
        )
        click_y = baseline - plot_height * day.clicks / most_clicks
        points.append((f"{centre:.1f}", f"{click_y:.1f}"))
        if index % label_every == 0:
            labels.append((f"{centre:.1f}", day.day.strftime("%d.%m.")))
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "top": top,
        "baseline": baseline,
        "bars": bars,
        "line": " ".join(f"{x},{y}" for x, y in points),
        "points": points,
        "labels": labels,
        "most_impressions": german_number(most_impressions),
        "most_clicks": german_number(most_clicks),
    }
