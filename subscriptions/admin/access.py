"""Who looked: the log of staff views and exports of subscriber data, and what writes it.

Every change form of a model with subscriber data (LogsViews), the print
addresses CSV and the Datenauskunft write one AccessLog row naming the
staff member. The log is shown read-only to whoever holds view_accesslog
(Chefredaktion, Datenschutz); nobody adds, changes or deletes here, not even
a superuser, and the database refuses it anyway (migration 0013).
"""

from django.apps import apps
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.lib.ratelimit import client_address
from subscriptions.admin.readonly import ReadOnlyMixin
from subscriptions.models import AccessLog


def logged(request, action, obj=None, **details):
    """Note that the staff member of ``request`` looked at ``obj`` (or exported, see record())."""
    return AccessLog.record(request.user, action, obj, ip=client_address(request), **details)


class LogsViews:
    """For a ModelAdmin of subscriber data: each change form shown is logged."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        shown = getattr(response, "context_data", None) or {}
        if response.status_code == 200 and shown.get("original") is not None:
            logged(request, AccessLog.Action.VIEW, shown["original"])
        return response


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["when", "user", "action", "kind", "label", "rows"]
    list_filter = ["action"]
    list_select_related = ["user"]
    search_fields = ["label", "=object_pk", "user__username", "user__last_name"]
    date_hierarchy = "at"
    fields = ["when", "user", "action", "kind", "object_pk", "label", "rows", "ip"]
    readonly_fields = fields
    show_full_result_count = False

    def get_actions(self, request):
        # Not even the delete action for a superuser: the log is append-only.
        return {}

    @admin.display(description=_("Zeitpunkt"), ordering="at")
    def when(self, obj):
        return timezone.localtime(obj.at).strftime("%d.%m.%Y %H:%M:%S")

    @admin.display(description=_("Datenart"), ordering="model")
    def kind(self, obj):
        try:
            return apps.get_model(obj.model)._meta.verbose_name
        except (LookupError, ValueError):
            return obj.model or "–"
