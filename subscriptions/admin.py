"""The back office of the "Aboverwaltung" group: subscribers, contracts, declarations, mail.

Only that group (and superusers) holds these permissions (subscriptions.roles),
so only they see subscriber data. Declarations are read-only: the record
of what a person declared is never changed (database trigger), only
matched by hand when it found no contract by itself.
"""

import csv

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from subscriptions import declarations, mail, newsletter
from subscriptions.models import (
    Declaration,
    Effect,
    NewsletterConsent,
    NewsletterIssue,
    OutgoingMail,
    Plan,
    Subscriber,
    Subscription,
)


class ReadOnlyMixin:
    """Records as they happened: viewable, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
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
    inlines = [SubscriptionInline]
    show_full_result_count = False


class RunningFilter(admin.SimpleListFilter):
    title = _("läuft")
    parameter_name = "laeuft"

    def lookups(self, request, model_admin):
        return [("ja", _("ja, wird beliefert")), ("nein", _("nein, beendet"))]

    def queryset(self, request, queryset):
        if self.value() == "ja":
            return queryset.filter(running_q())
        if self.value() == "nein":
            return queryset.exclude(running_q())
        return queryset


def running_q(day=None):
    """Contracts that are delivered on ``day``: not ended, not withdrawn."""
    day = day or timezone.localdate()
    return Q(status__in=[Subscription.Status.PENDING, Subscription.Status.ACTIVE]) | Q(
        status=Subscription.Status.CANCELLED, ends_on__gte=day
    )


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


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = [
        "subscriber",
        "plan",
        "status",
        "starts_on",
        "minimum_term_ends",
        "ends_on",
        "ordered_online",
    ]
    list_filter = ["plan", "status", RunningFilter, "ordered_online"]
    list_select_related = ["subscriber", "plan"]
    search_fields = [
        "subscriber__customer_number",
        "subscriber__name",
        "subscriber__email",
        "subscriber__organisation",
    ]
    raw_id_fields = ["subscriber"]
    date_hierarchy = "starts_on"
    readonly_fields = ["ordered_online", "created_at"]
    inlines = [EffectInline]
    actions = ["accept_orders"]
    show_full_result_count = False
    change_list_template = "admin/subscriptions/subscription/change_list.html"

    @admin.action(description=_("Bestellungen annehmen (Status „Läuft“)"), permissions=["change"])
    def accept_orders(self, request, queryset):
        count = queryset.filter(status=Subscription.Status.PENDING).update(
            status=Subscription.Status.ACTIVE
        )
        self.message_user(
            request,
            ngettext("%d Bestellung angenommen.", "%d Bestellungen angenommen.", count) % count,
        )

    def get_urls(self):
        view = self.admin_site.admin_view(self.print_addresses)
        return [
            path("lieferanschriften.csv", view, name="subscriptions_print_addresses"),
            *super().get_urls(),
        ]

    def print_addresses(self, request):
        """For the mailing house: every print copy to deliver today, one row per contract."""
        if not request.user.has_perm("subscriptions.view_subscriber"):
            raise PermissionDenied
        rows = (
            Subscription.objects.filter(
                running_q(), plan__kind__in=[Plan.Kind.PRINT, Plan.Kind.COMBINED]
            )
            .select_related("subscriber", "plan")
            .order_by("subscriber__postcode", "subscriber__name", "pk")
        )
        response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
        name = f"lieferanschriften-print-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class _Echo:
    def write(self, value):
        return value


def _cell(value):
    """Spreadsheets run a cell that begins with = + - @ as a formula; such text gets a '."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


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
                _cell(value)
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


class DeclarationEffectInline(EffectInline):
    fields = ["subscription", "outcome", "ends_on", "created_at"]
    readonly_fields = fields
    fk_name = "declaration"


@admin.register(Declaration)
class DeclarationAdmin(admin.ModelAdmin):
    list_display = [
        "received",
        "kind",
        "name",
        "identifier",
        "contract",
        "end_dates",
        "confirmation_state",
    ]
    list_filter = [MatchedFilter, "kind"]
    search_fields = ["name", "identifier", "email", "subscriber__customer_number"]
    date_hierarchy = "received_at"
    readonly_fields = [
        "received",
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
            .select_related("confirmation", "subscriber", "matched_by")
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
                    "Zugeordnet: %d Vertrag. Die Bestätigung mit dem Vertragsende geht an %s.",
                    "Zugeordnet: %d Verträge. Die Bestätigung mit dem Vertragsende geht an %s.",
                    len(effects),
                )
                % (len(effects), declaration.email),
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


@admin.register(OutgoingMail)
class OutgoingMailAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "purpose",
        "to",
        "subject",
        "state",
        "attempts",
        "sent_at",
        "error",
    ]
    list_filter = ["state", "purpose"]
    search_fields = ["=to", "subject"]
    date_hierarchy = "created_at"
    fields = [
        "purpose",
        "to",
        "subject",
        "state",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
        "headers",
        "body_text",
    ]
    readonly_fields = fields
    actions = ["send_again"]
    show_full_result_count = False

    @admin.display(description=_("Letzter Fehler"))
    def error(self, obj):
        return obj.last_error[:80]

    def has_send_permission(self, request):
        return request.user.has_perm("subscriptions.change_outgoingmail")

    @admin.action(description=_("Jetzt erneut senden"), permissions=["send"])
    def send_again(self, request, queryset):
        pks = list(queryset.exclude(state=OutgoingMail.State.SENT).values_list("pk", flat=True))
        OutgoingMail.objects.filter(pk__in=pks).update(
            state=OutgoingMail.State.QUEUED, next_attempt_at=timezone.now()
        )
        sent = sum(mail.deliver(pk) for pk in pks)
        self.message_user(
            request,
            _("%(sent)d von %(all)d E-Mails versendet; der Rest wird später erneut versucht.")
            % {"sent": sent, "all": len(pks)},
        )


@admin.register(NewsletterConsent)
class NewsletterConsentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["email", "requested_at", "confirmed_at", "unsubscribed_at"]
    list_filter = [
        ("confirmed_at", admin.EmptyFieldListFilter),
        ("unsubscribed_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["=email"]
    fields = [
        "email",
        "wording",
        "requested_at",
        "requested_from",
        "confirmed_at",
        "confirmed_from",
        "unsubscribed_at",
    ]
    readonly_fields = fields
    change_form_template = "admin/subscriptions/newsletterconsent/change_form.html"
    show_full_result_count = False

    def get_urls(self):
        view = self.admin_site.admin_view(self.proof_view)
        return [
            path("<int:pk>/nachweis/", view, name="subscriptions_newsletterconsent_proof"),
            *super().get_urls(),
        ]

    def proof_view(self, request, pk):
        """The proof of consent as a page to print: who, what wording, when, from where."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        consent = get_object_or_404(NewsletterConsent, pk=pk)
        return TemplateResponse(
            request,
            "admin/subscriptions/newsletterconsent/proof.html",
            {
                "consent": consent,
                "now": timezone.now(),
            },
        )


@admin.register(NewsletterIssue)
class NewsletterIssueAdmin(admin.ModelAdmin):
    list_display = ["subject", "created_at", "sent_at"]
    readonly_fields = ["sent_at"]
    actions = ["send"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.sent_at:
            return ["subject", "body", "sent_at"]
        return self.readonly_fields

    @admin.action(description=_("An alle bestätigten Empfänger senden"), permissions=["change"])
    def send(self, request, queryset):
        base = request.build_absolute_uri("/")
        for issue in queryset:
            count = newsletter.send_issue(issue, base)
            if count:
                self.message_user(
                    request,
                    _(
                        "„%(subject)s“ geht an %(count)d Empfänger. Der Mail-Versand "
                        "schickt die E-Mails in den nächsten Minuten; unter „E-Mails“ "
                        "sehen Sie, wie weit er ist."
                    )
                    % {"subject": issue.subject, "count": count},
                )
            else:
                self.message_user(
                    request,
                    _("„%(subject)s“ war schon versendet oder hat keine Empfänger.")
                    % {"subject": issue.subject},
                    messages.WARNING,
                )
