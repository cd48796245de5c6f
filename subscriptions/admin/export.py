"""The print copies to deliver today as CSV for the mailing house, safe to open in Excel.

Only contracts staff accepted are delivered (contracts.delivered_q): an
order nobody has accepted sends nothing to anyone's door.
"""

import csv

from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.utils import timezone

from portal.lib.spreadsheets import text_cell
from subscriptions.admin.access import logged
from subscriptions.contracts import delivered_q
from subscriptions.models import AccessLog, Plan, Subscription


def print_addresses(request):
    """For the mailing house: every accepted print copy to deliver today, one row per contract."""
    if not request.user.has_perm("subscriptions.view_subscriber"):
        raise PermissionDenied
    rows = (
        Subscription.objects.filter(
            delivered_q(), plan__kind__in=[Plan.Kind.PRINT, Plan.Kind.COMBINED]
        )
        .select_related("subscriber", "plan")
        .order_by("subscriber__postcode", "subscriber__name", "pk")
    )
    # Logged before the first byte, so an aborted download is on record too.
    logged(
        request,
        AccessLog.Action.CSV,
        model="subscriptions.subscription",
        label="Lieferanschriften Print",
        rows=rows.count(),
    )
    response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    name = f"lieferanschriften-print-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class _Echo:
    def write(self, value):
        return value


def _csv_lines(rows):
    writer = csv.writer(_Echo(), delimiter=";")
    # A byte-order mark: Excel then reads the umlauts as UTF-8.
    yield "\ufeff" + writer.writerow(
        [
            "Kundennummer",
            "Name",
            "Organisation",
            "Straße",
            "PLZ",
            "Ort",
            "Angebot",
            "Abo-Nr.",
            "Liefern bis",
        ]
    )
    for row in rows.iterator(chunk_size=2000):
        subscriber = row.subscriber
        yield writer.writerow(
            [
                text_cell(value)
                for value in (
                    subscriber.customer_number,
                    subscriber.name,
                    subscriber.organisation,
                    subscriber.street,
                    subscriber.postcode,
                    subscriber.city,
                    row.plan.name,
                    row.pk,
                    row.ends_on.strftime("%d.%m.%Y") if row.ends_on else "",
                )
            ]
        )
