"""The back office of ad sales: IT-Guide vendors and categories, campaigns, creatives, figures."""

import calendar
import datetime
import logging

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog

from ads import counting, stats
from ads.forms import CreativeForm, VendorForm
from ads.models import Campaign, Category, Creative, Vendor
from portal.lib.csp import NoncedMediaMixin
from portal.lib.images import render_widths

logger = logging.getLogger(__name__)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class ListedNowFilter(admin.SimpleListFilter):
    title = _("im IT-Guide sichtbar")
    parameter_name = "sichtbar"

    def lookups(self, request, model_admin):
        return [("ja", _("ja")), ("nein", _("nein"))]

    def queryset(self, request, queryset):
        listed = Vendor.objects.listed().values("pk")
        if self.value() == "ja":
            return queryset.filter(pk__in=listed)
        if self.value() == "nein":
            return queryset.exclude(pk__in=listed)
        return queryset


@admin.register(Vendor)
class VendorAdmin(NoncedMediaMixin, admin.ModelAdmin):
    form = VendorForm
    list_display = ["name", "postcode", "city", "plus", "listed_from", "listed_until", "listed"]
    list_filter = ["plus", ListedNowFilter, "categories"]
    search_fields = ["name", "city", "postcode"]
    filter_horizontal = ["categories"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "logo", "description", "categories"]}),
        (_("Adresse"), {"fields": ["street", "postcode", "city", "country"]}),
        (_("Kontakt"), {"fields": ["website", "email", "phone"]}),
        (_("Eintrag"), {"fields": ["plus", "listed_from", "listed_until"]}),
    ]

    @admin.display(description=_("sichtbar"), boolean=True)
    def listed(self, vendor):
        return vendor.is_listed

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "logo" in form.changed_data:
            obj.logo_renditions = (
                render_widths(obj.logo, f"logos/{obj.pk}", obj.logo_renditions, obj.logo.storage)
                if obj.logo
                else {}
            )
            obj.save(update_fields=["logo_renditions"])

    @property
    def media(self):
        # The description editor's German dialog texts, as in the article form.
        return super().media + forms.Media(
            js=[reverse("admin:ads_vendor_jsi18n"), "js/editor-de.js"],
        )

    def get_urls(self):
        catalog = JavaScriptCatalog.as_view(packages=["django_prose_editor"])
        return [path("jsi18n/", catalog, name="ads_vendor_jsi18n"), *super().get_urls()]


class CreativeInline(admin.StackedInline):
    model = Creative
    form = CreativeForm
    extra = 0
    fields = ["slot", "image", "preview", "alt_text", "target_url", "active"]
    readonly_fields = ["preview"]

    @admin.display(description=_("Vorschau in Platzgröße"))
    def preview(self, creative):
        return creative_preview(creative)


def creative_preview(creative):
    """The creative as readers see it: at its place's size, labelled "Anzeige"."""
    if not creative.pk or not creative.image:
        return "–"
    slot = creative.slot_info
    return format_html(
        '<figure class="ad-preview"><figcaption>{}</figcaption>'
        '<img src="{}" width="{}" height="{}" alt="{}"></figure>',
        _("Anzeige"),
        creative.image.url,
        slot.width,
        slot.height,
        creative.alt_text,
    )


class RunningFilter(admin.SimpleListFilter):
    title = _("Laufzeit")
    parameter_name = "laufzeit"

    def lookups(self, request, model_admin):
        return [
            ("jetzt", _("läuft jetzt")),
            ("endet", _("endet in diesem Monat")),
            ("geplant", _("beginnt später")),
            ("vorbei", _("beendet")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        today = timezone.localdate()
        if self.value() == "jetzt":
            return queryset.running(now)
        if self.value() == "endet":
            # Still running, and over by the first of next month, 0:00 (Berlin):
            # a campaign "until 30.11." is entered as ending 1.12., 0:00.
            last = calendar.monthrange(today.year, today.month)[1]
            next_month = timezone.make_aware(
                datetime.datetime.combine(today.replace(day=last), datetime.time.min)
                + datetime.timedelta(days=1)
            )
            return queryset.filter(ends_at__gt=now, ends_at__lte=next_month)
        if self.value() == "geplant":
            return queryset.filter(starts_at__gt=now)
        if self.value() == "vorbei":
            return queryset.filter(ends_at__lte=now)
        return queryset


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = [
        "name", "advertiser", "period", "state_badge", "impressions", "clicks",
        "statistics_link",
    ]  # fmt: skip
    list_filter = [RunningFilter, "paused"]
    list_select_related = ["advertiser"]
    search_fields = ["name", "advertiser__name"]
    autocomplete_fields = ["advertiser"]
    inlines = [CreativeInline]
    fields = ["advertiser", "name", "starts_at", "ends_at", "weight", "paused", "notes"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                total_impressions=Sum("creatives__days__impressions"),
                total_clicks=Sum("creatives__days__clicks"),
            )
        )

    @admin.display(description=_("Laufzeit"), ordering="starts_at")
    def period(self, campaign):
        start, end = (timezone.localtime(t) for t in (campaign.starts_at, campaign.last_moment))
        return f"{start:%d.%m.%Y} – {end:%d.%m.%Y}"

    @admin.display(description=_("Status"))
    def state_badge(self, campaign):
        labels = {
            "running": _("läuft"),
            "planned": _("geplant"),
            "ended": _("beendet"),
            "paused": _("pausiert"),
        }
        return format_html(
            '<span class="status status--{}">{}</span>', campaign.state, labels[campaign.state]
        )

    @admin.display(description=_("Einblendungen"), ordering="total_impressions")
    def impressions(self, campaign):
        return stats.german_number(campaign.total_impressions or 0)

    @admin.display(description=_("Klicks"), ordering="total_clicks")
    def clicks(self, campaign):
        return stats.german_number(campaign.total_clicks or 0)

    @admin.display(description=_("Zahlen"))
    def statistics_link(self, campaign):
        url = reverse("admin:ads_campaign_statistics", args=[campaign.pk])
        return format_html('<a href="{}">{}</a>', url, _("Statistik"))

    def get_urls(self):
        view = self.admin_site.admin_view(self.statistics_view)
        return [
            path("<int:pk>/statistik/", view, name="ads_campaign_statistics"),
            *super().get_urls(),
        ]

    def statistics_view(self, request, pk):
        """Daily impressions, clicks and click rate: chart, table, CSV for the advertiser."""
        campaign = get_object_or_404(Campaign.objects.select_related("advertiser"), pk=pk)
        if not (
            self.has_view_permission(request, campaign) and request.user.has_perm("ads.view_adday")
        ):
            raise PermissionDenied
        try:  # this process's latest impressions (the others write theirs every 30 s)
            counting.flush_impressions()
        except DatabaseError:
            logger.exception("Impressions could not be written before the statistics")
        if request.GET.get("format") == "csv":
            response = HttpResponse(
                stats.campaign_csv(campaign), content_type="text/csv; charset=utf-8"
            )
            name = slugify(f"{campaign.advertiser.name}-{campaign.name}") or "kampagne"
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            return response
        days = stats.campaign_days(campaign)
        totals = stats.Day(None, sum(d.impressions for d in days), sum(d.clicks for d in days))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": campaign,
            "title": _("Statistik: %(campaign)s") % {"campaign": campaign},
            "crumb": _("Statistik"),
            "campaign": campaign,
            "days": days,
            "totals": totals,
            "creatives": stats.creative_totals(campaign),
            "chart": stats.chart(days),
        }
        return TemplateResponse(request, "admin/ads/campaign/statistics.html", context)


@admin.register(Creative)
class CreativeAdmin(admin.ModelAdmin):
    form = CreativeForm
    list_display = ["__str__", "campaign", "slot", "active", "thumbnail"]
    list_filter = ["slot", "active"]
    list_select_related = ["campaign__advertiser"]
    search_fields = ["alt_text", "campaign__name", "campaign__advertiser__name"]
    autocomplete_fields = ["campaign"]
    fields = ["campaign", "slot", "image", "preview", "alt_text", "target_url", "active"]
    readonly_fields = ["preview"]

    def get_form(self, request, obj=None, **kwargs):
        kwargs["fields"] = ["campaign", *CreativeForm.Meta.fields]
        return super().get_form(request, obj, **kwargs)

    @admin.display(description=_("Vorschau in Platzgröße"))
    def preview(self, creative):
        return creative_preview(creative)

    @admin.display(description=_("Bild"))
    def thumbnail(self, creative):
        if not creative.image:
            return "–"
        return format_html(
            '<img src="{}" alt="" style="max-width: 120px; max-height: 60px">', creative.image.url
        )
