"""Back office for Kündigungen and Widerrufe: read-only records, matched by hand if need be."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from subscriptions import declarations
from subscriptions.admin.access import LogsViews
from subscriptions.admin.contracts import EffectInline
from subscriptions.models import Declaration, Effect, Subscriber, Subscription


class MatchForm(forms.Form):
    customer_number = forms.CharField(label=_("Kundennummer"), max_length=20)
    subscriptions = forms.ModelMultipleChoiceField(
        label=_("Verträge"),
        queryset=Subscription.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, declaration, **kwargs):
        super().__init__(*args, **kwargs)
        self.declaration = declaration
        self.subscriber = None
        self.look_up(self.data.get("customer_number"))

    def look_up(self, number):
        number = (number or "").strip().upper()
        if number:
            self.subscriber = Subscriber.objects.filter(customer_number=number).first()
        if self.subscriber is not None:
            contracts = self.subscriber.subscriptions.select_related("plan")
            self.fields["subscriptions"].queryset = contracts

    def clean_customer_number(self):
        if self.subscriber is None:
            raise forms.ValidationError(_("Keine Kundin und kein Kunde mit dieser Nummer."))
        if self.declaration.disputed_by_id == self.subscriber.pk:
            raise forms.ValidationError(
                _(
                    "Diese Kundin oder dieser Kunde hat gemeldet, dass die Erklärung nicht "
                    "von ihr oder ihm stammt („Das war ich nicht“)."
                )
            )
        matched = self.declaration.subscriber_id
        if matched is not None and matched != self.subscriber.pk:
            raise forms.ValidationError(
                _("Diese Erklärung ist schon einem anderen Kunden zugeordnet (%(number)s).")
                % {"number": self.declaration.subscriber.customer_number}
            )
        return self.subscriber.customer_number

    def clean(self):
        cleaned = super().clean()
        if (
            self.subscriber is not None
            and "subscriptions" in cleaned
            and not cleaned["subscriptions"]
        ):
            self.add_error("subscriptions", _("Bitte mindestens einen Vertrag wählen."))
        return cleaned


class MatchedFilter(admin.SimpleListFilter):
    title = _("Zuordnung")
    parameter_name = "zugeordnet"

    def lookups(self, request, model_admin):
        return [("nein", _("noch nicht zugeordnet")), ("ja", _("einem Vertrag zugeordnet"))]

    def queryset(self, request, queryset):
        has_effect = Exists(Effect.objects.filter(declaration=OuterRef("pk")))
        if self.value() == "nein":
            return queryset.filter(~has_effect)
        if self.value() == "ja":
            return queryset.filter(has_effect)
        return queryset


class DisputedFilter(admin.SimpleListFilter):
    title = _("„Das war ich nicht“")
    parameter_name = "bestritten"

    def lookups(self, request, model_admin):
        return [("ja", _("vom Abonnenten bestritten"))]

    def queryset(self, request, queryset):
        if self.value() == "ja":
            return queryset.filter(disputed_at__isnull=False).order_by("-disputed_at")
        return queryset


class DeclarationEffectInline(EffectInline):
    fields = ["subscription", "outcome", "ends_on", "created_at"]
    readonly_fields = fields
    fk_name = "declaration"


@admin.register(Declaration)
class DeclarationAdmin(LogsViews, admin.ModelAdmin):
    list_display = [
        "received",
        "dispute_marker",
        "kind",
        "name",
        "identifier",
        "contract",
        "end_dates",
        "confirmation_state",
    ]
    list_filter = [DisputedFilter, MatchedFilter, "kind"]
    search_fields = ["name", "identifier", "email", "subscriber__customer_number"]
    date_hierarchy = "received_at"
    readonly_fields = [
        "received",
        "dispute_marker",
        "disputed_by",
        "kind",
        "reason",
        "name",
        "identifier",
        "contract",
        "requested_end",
        "email",
        "subscriber",
        "confirmation_state",
        "matched_by",
        "matched_at",
    ]
    fields = readonly_fields
    inlines = [DeclarationEffectInline]
    show_full_result_count = False
    change_form_template = "admin/subscriptions/declaration/change_form.html"

    def get_queryset(self, request):
        # End dates of a page of declarations in one more query, not one per row.
        return (
            super()
            .get_queryset(request)
            .select_related("confirmation", "subscriber", "matched_by", "disputed_by")
            .prefetch_related("effects")
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # Changing a declaration is impossible; "change" means matching it by hand.
        return False

    @admin.display(description=_("Eingegangen"), ordering="received_at")
    def received(self, obj):
        return timezone.localtime(obj.received_at).strftime("%d.%m.%Y %H:%M:%S")

    @admin.display(description=_("„Das war ich nicht“"), ordering="disputed_at")
    def dispute_marker(self, obj):
        if obj.disputed_at is None:
            return "–"
        return format_html(
            '<strong class="disputed">{}</strong>',
            _("bestritten am %(at)s")
            % {"at": timezone.localtime(obj.disputed_at).strftime("%d.%m.%Y %H:%M")},
        )

    @admin.display(description=_("Vertragsende"))
    def end_dates(self, obj):
        effects = list(obj.effects.all())
        if not effects:
            return format_html('<strong class="unmatched">{}</strong>', _("nicht zugeordnet"))
        return format_html_join(
            ", ",
            "{}",
            (
                (f"{e.ends_on:%d.%m.%Y}" if e.ends_on else e.get_outcome_display(),)
                for e in effects
            ),
        )

    @admin.display(description=_("Bestätigung"))
    def confirmation_state(self, obj):
        sent = obj.confirmation
        if sent is None:
            return "–"
        if sent.sent_at:
            return _("versendet %(at)s") % {
                "at": timezone.localtime(sent.sent_at).strftime("%d.%m.%Y %H:%M:%S")
            }
        return sent.get_state_display()

    def get_urls(self):
        view = self.admin_site.admin_view(self.match_view)
        return [
            path("<int:pk>/zuordnen/", view, name="subscriptions_declaration_match"),
            *super().get_urls(),
        ]

    def match_view(self, request, pk):
        """Staff match a declaration to contracts; it takes effect as of the day it arrived."""
        if not request.user.has_perm("subscriptions.change_declaration"):
            raise PermissionDenied
        declaration = get_object_or_404(Declaration, pk=pk)
        if request.method == "POST":
            form = MatchForm(request.POST, declaration=declaration)
        else:  # looking up a customer number shows their contracts, no errors yet
            number = request.GET.get("customer_number", "")
            form = MatchForm(initial={"customer_number": number}, declaration=declaration)
            form.look_up(number)
        if request.method == "POST" and form.is_valid():
            effects = declarations.match(
                declaration,
                form.subscriber,
                form.cleaned_data["subscriptions"],
                request.user,
                request.build_absolute_uri("/"),
            )
            self.message_user(
                request,
                ngettext(
                    "Zugeordnet: %d Vertrag. Die Nachricht mit dem Vertragsende geht an die "
                    "hinterlegte Adresse %s.",
                    "Zugeordnet: %d Verträge. Die Nachricht mit dem Vertragsende geht an die "
                    "hinterlegte Adresse %s.",
                    len(effects),
                )
                % (len(effects), form.subscriber.email),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(
                reverse("admin:subscriptions_declaration_change", args=[pk])
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": declaration,
            "title": _("Erklärung zuordnen"),
            "crumb": _("Zuordnen"),
            "form": form,
            "declaration": declaration,
        }
        return TemplateResponse(request, "admin/subscriptions/declaration/match.html", context)
