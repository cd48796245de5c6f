"""Back office for offers, subscribers and their contracts, with the print delivery list."""

from django.contrib import admin
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from subscriptions import orders
from subscriptions.admin import disclosure, erasure, export
from subscriptions.admin.access import LogsViews
from subscriptions.contracts import delivered_q, running_q
from subscriptions.models import AddressChange, Effect, Plan, Subscriber, Subscription


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "price",
        "billing_months",
        "minimum_term_months",
        "notice_months",
        "renews",
        "orderable",
        "position",
    ]
    list_editable = ["orderable", "position"]
    list_filter = ["kind", "orderable"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    extra = 0
    fields = ["plan", "status", "starts_on", "minimum_term_ends", "ends_on", "ordered_online"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class AddressChangeInline(admin.TabularInline):
    """Addresses from this customer's orders that staff have yet to decide on, or did."""

    model = AddressChange
    extra = 0
    fields = ["created_at", "address_line", "status", "decided_at"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False
    verbose_name_plural = _("Adressänderungen aus Bestellungen")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Anschrift aus der Bestellung"))
    def address_line(self, obj):
        return obj.address_line


@admin.register(Subscriber)
class SubscriberAdmin(LogsViews, admin.ModelAdmin):
    list_display = ["customer_number", "name", "organisation", "email", "postcode", "city"]
    search_fields = ["customer_number", "name", "organisation", "email", "=postcode"]
    readonly_fields = ["customer_number", "created_at"]
    fields = [
        "customer_number",
        "name",
        "organisation",
        "email",
        "street",
        "postcode",
        "city",
        "created_at",
    ]
    inlines = [SubscriptionInline, AddressChangeInline]
    show_full_result_count = False
    actions = [erasure.erase_personal_data]
    has_erase_permission = erasure.has_erase_permission

    def has_change_permission(self, request, obj=None):
        # Erased (Art. 17 GDPR or retention): a record kept by law, not an account to edit.
        if obj is not None and obj.contact_erased_at is not None:
            return False
        return super().has_change_permission(request, obj)

    change_form_template = "admin/subscriptions/subscriber/change_form.html"

    def get_urls(self):
        page = self.admin_site.admin_view(disclosure.disclosure_page)
        json = self.admin_site.admin_view(disclosure.disclosure_json)
        return [
            path("<int:pk>/datenauskunft/", page, name="subscriptions_subscriber_disclosure"),
            path(
                "<int:pk>/datenauskunft.json",
                json,
                name="subscriptions_subscriber_disclosure_json",
            ),
            *super().get_urls(),
        ]


class RunningFilter(admin.SimpleListFilter):
    title = _("läuft")
    parameter_name = "laeuft"

    def lookups(self, request, model_admin):
        return [
            ("ja", _("ja, wird beliefert")),
            ("offen", _("ja, noch nicht angenommen")),
            ("nein", _("nein, beendet")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "ja":
            return queryset.filter(delivered_q())
        if self.value() == "offen":
            return queryset.filter(running_q(), accepted_at__isnull=True)
        if self.value() == "nein":
            return queryset.exclude(running_q())
        return queryset


class WithdrawalFilter(admin.SimpleListFilter):
    """Online print contracts whose withdrawal period waits for the first issue to be recorded."""

    title = _("Widerrufsfrist")
    parameter_name = "widerrufsfrist"

    def lookups(self, request, model_admin):
        return [("erste-ausgabe", _("wartet auf „Erste Ausgabe erhalten am“"))]

    def queryset(self, request, queryset):
        if self.value() == "erste-ausgabe":
            return queryset.filter(
                ordered_online=True,
                plan__kind__in=[Plan.Kind.PRINT, Plan.Kind.COMBINED],
                first_issue_received_on__isnull=True,
            ).exclude(status=Subscription.Status.WITHDRAWN)
        return queryset


class EffectInline(admin.TabularInline):
    model = Effect
    extra = 0
    fields = ["declaration", "subscription", "outcome", "ends_on", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _disputed():
    """Whether a declaration that acted on the contract was disputed by its subscriber."""
    return Exists(
        Effect.objects.filter(subscription=OuterRef("pk"), declaration__disputed_at__isnull=False)
    )


class DisputedFilter(admin.SimpleListFilter):
    title = _("„Das war ich nicht“")
    parameter_name = "bestritten"

    def lookups(self, request, model_admin):
        return [("ja", _("Erklärung vom Abonnenten bestritten"))]

    def queryset(self, request, queryset):
        if self.value() == "ja":
            return queryset.filter(disputed=True)
        return queryset


@admin.register(Subscription)
class SubscriptionAdmin(LogsViews, admin.ModelAdmin):
    list_display = [
        "subscriber",
        "plan",
        "dispute_marker",
        "state",
        "starts_on",
        "minimum_term_ends",
        "ends_on",
        "ordered_online",
    ]
    list_filter = [
        "plan",
        "status",
        RunningFilter,
        DisputedFilter,
        "ordered_online",
        WithdrawalFilter,
    ]
    list_select_related = ["subscriber", "plan"]
    search_fields = [
        "subscriber__customer_number",
        "subscriber__name",
        "subscriber__email",
        "subscriber__organisation",
    ]
    raw_id_fields = ["subscriber"]
    date_hierarchy = "starts_on"
    readonly_fields = [
        "dispute_marker",
        "ordered_online",
        "withdrawal_deadline",
        "accepted_at",
        "created_at",
    ]
    inlines = [EffectInline]
    actions = ["accept_orders"]
    show_full_result_count = False
    change_list_template = "admin/subscriptions/subscription/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(disputed=_disputed())

    def get_fields(self, request, obj=None):
        # A disputed contract says so first of all; the others need no empty line for it.
        fields = [f for f in super().get_fields(request, obj) if f != "dispute_marker"]
        if obj is not None and obj.disputed:
            return ["dispute_marker", *fields]
        return fields

    @admin.display(description=_("Status"), ordering="status")
    def state(self, obj):
        return obj.state_display()

    @admin.display(description=_("„Das war ich nicht“"))
    def dispute_marker(self, obj):
        if not obj.disputed:
            return "–"
        return format_html(
            '<strong class="disputed">{}</strong>', _("Erklärung vom Abonnenten bestritten")
        )

    @admin.display(description=_("Widerruf möglich bis"))
    def withdrawal_deadline(self, obj):
        if obj.pk is None or not obj.ordered_online:
            return _("kein Widerrufsrecht (nicht online geschlossen)")
        if obj.withdrawal_until is None:
            return _("offen: die Frist beginnt mit „Erste Ausgabe erhalten am“")
        return f"{obj.withdrawal_until:%d.%m.%Y}"

    @admin.action(description=_("Bestellungen annehmen (Status „Läuft“)"), permissions=["change"])
    def accept_orders(self, request, queryset):
        """From now on they are delivered: the one step that puts an order on the mailing list.

        Each subscriber gets the Vertragsbestätigung, once: a contract
        accepted already is not in ``waiting`` (the lock waits for whoever
        accepts it at the same moment, and the filter is checked again).
        """
        count = 0
        base_url = request.build_absolute_uri("/")
        with transaction.atomic():
            waiting = (
                queryset.filter(running_q(), accepted_at__isnull=True)
                .select_related("subscriber", "plan")
                .select_for_update(of=("self",))
            )
            for subscription in waiting:
                if subscription.accept():
                    orders.confirm_contract(subscription, base_url)
                    self.log_change(request, subscription, _("Bestellung angenommen"))
                    count += 1
        self.message_user(
            request,
            ngettext(
                "%d Bestellung angenommen; der Kunde erhält eine Vertragsbestätigung.",
                "%d Bestellungen angenommen; die Kunden erhalten eine Vertragsbestätigung.",
                count,
            )
            % count,
        )

    def save_model(self, request, obj, form, change):
        # Set to "Läuft" by hand, or entered so (a phone order): accepted
        # now (Subscription.clean), so confirmed now, as by accept_orders.
        accepted_now = obj.accepted_at is not None and (
            not change
            or Subscription.objects.select_for_update()
            .filter(pk=obj.pk, accepted_at__isnull=True)
            .exists()
        )
        super().save_model(request, obj, form, change)
        if accepted_now:
            orders.confirm_contract(obj, request.build_absolute_uri("/"))

    def get_urls(self):
        view = self.admin_site.admin_view(export.print_addresses)
        return [
            path("lieferanschriften.csv", view, name="subscriptions_print_addresses"),
            *super().get_urls(),
        ]
