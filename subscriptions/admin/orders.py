"""Back office for orders: those waiting for their e-mail address, and addresses to decide on."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from subscriptions import orders
from subscriptions.admin.access import LogsViews
from subscriptions.admin.readonly import ReadOnlyMixin
from subscriptions.models import AddressChange, Order, address_line


class ConfirmedFilter(admin.SimpleListFilter):
    title = _("E-Mail-Adresse bestätigt")
    parameter_name = "bestaetigt"

    def lookups(self, request, model_admin):
        return [("ja", _("ja, Vertrag angelegt")), ("nein", _("nein, noch nicht"))]

    def queryset(self, request, queryset):
        if self.value() == "ja":
            return queryset.filter(confirmed_at__isnull=False)
        if self.value() == "nein":
            return queryset.filter(confirmed_at__isnull=True)
        return queryset


@admin.register(Order)
class OrderAdmin(LogsViews, ReadOnlyMixin, admin.ModelAdmin):
    """Orders as typed: an unconfirmed one is not a customer and not a contract, only a record."""

    list_display = ["received", "email", "name", "plan", "confirmed_at"]
    list_filter = [ConfirmedFilter, "plan"]
    list_select_related = ["plan"]
    search_fields = ["=email", "name", "organisation"]
    date_hierarchy = "received_at"
    fields = [
        "received_at",
        "plan",
        "email",
        "name",
        "organisation",
        "street",
        "postcode",
        "city",
        "confirmed_at",
        "subscription",
    ]
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=_("Eingegangen"), ordering="received_at")
    def received(self, obj):
        return timezone.localtime(obj.received_at).strftime("%d.%m.%Y %H:%M")


@admin.register(AddressChange)
class AddressChangeAdmin(LogsViews, admin.ModelAdmin):
    """A confirmed order with another address than the customer's: staff take it over or not."""

    # The address on file is on the page of each request, beside this one.
    list_display = ["created_at", "subscriber", "ordered", "status"]
    list_filter = ["status"]
    list_select_related = ["subscriber"]
    search_fields = [
        "subscriber__customer_number",
        "subscriber__name",
        "subscriber__email",
        "name",
        "street",
    ]
    fields = [
        "subscriber",
        "order",
        "on_file",
        "ordered",
        "status",
        "created_at",
        "decided_at",
        "decided_by",
        "previous",
    ]
    readonly_fields = fields
    actions = ["accept_changes", "reject_changes"]
    show_full_result_count = False
    change_form_template = "admin/subscriptions/addresschange/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("subscriber", "order", "decided_by")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Nothing here is edited: the decision is one of the two buttons.
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
            "title": _("Adressänderung prüfen"),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("Anschrift heute"))
    def on_file(self, obj):
        return address_line(obj.subscriber)

    @admin.display(description=_("Anschrift aus der Bestellung"))
    def ordered(self, obj):
        return obj.address_line

    def _decide(self, request, queryset, accept):
        base_url = request.build_absolute_uri("/")
        count = 0
        for change in queryset.filter(status=AddressChange.Status.OPEN):
            if orders.decide(change, accept, request.user, base_url):
                self.log_change(
                    request,
                    change,
                    _("Anschrift übernommen") if accept else _("Anschrift abgelehnt"),
                )
                count += 1
        return count

    @admin.action(description=_("Anschrift übernehmen"), permissions=["change"])
    def accept_changes(self, request, queryset):
        count = self._decide(request, queryset, accept=True)
        self.message_user(
            request,
            ngettext(
                "%d Anschrift übernommen; der Kunde erhält eine E-Mail.",
                "%d Anschriften übernommen; die Kunden erhalten eine E-Mail.",
                count,
            )
            % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Anschrift ablehnen (bisherige bleibt)"), permissions=["change"])
    def reject_changes(self, request, queryset):
        count = self._decide(request, queryset, accept=False)
        self.message_user(
            request,
            ngettext(
                "%d Anschrift abgelehnt; der Kunde erhält eine E-Mail.",
                "%d Anschriften abgelehnt; die Kunden erhalten eine E-Mail.",
                count,
            )
            % count,
            messages.SUCCESS,
        )
