"""The article editor of the back office: workflow, preview, versions, planning calendar."""

import datetime
import re

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.i18n import JavaScriptCatalog

from articles.admin.autosave import AutosaveAdminMixin
from articles.admin.changelist import ArticleChangeList, ArticleColumns, StatusFilter
from articles.admin.link_search import article_link_search
from articles.admin.pictures import LeadPictureSelect
from articles.admin.presence import TwoEditorsAdmin
from articles.admin.review import ReviewDesk, WorkingCopyLinks
from articles.admin.writing import WritingToolsAdmin
from articles.body import removal_message
from articles.conflicts import stored_link_rows
from articles.forms import ArticleForm
from articles.models import Article, ArticleLink
from articles.paginators import CappedCountPaginator
from articles.planning import PlanningCalendar
from articles.review import with_working_copy
from articles.revisions import compare, keep_original, save_revision
from articles.search import build_query, spelled_out
from articles.views.article import preview_token, render_preview
from portal.lib.csp import NoncedMediaMixin


class ArticleLinkInline(WorkingCopyLinks, admin.TabularInline):
    model = ArticleLink
    extra = 1
    fields = ["label", "url", "position"]
    # "www.smwa.sachsen.de" typed without a scheme becomes https://, not http://.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Article)
class ArticleAdmin(
    AutosaveAdminMixin,
    ReviewDesk,
    TwoEditorsAdmin,
    ArticleColumns,
    WritingToolsAdmin,
    NoncedMediaMixin,
    admin.ModelAdmin,
):
    form = ArticleForm
    # Fits 1280 px: kicker and picture go with the headline, the kind with the
    # section, the link to the site with the status (articles.admin.changelist).
    list_display = [
        "title_column", "section_column", "status_column", "publish_column",
        "author_column", "changed_column",
    ]  # fmt: skip
    # Our own "Vorschau" and "Auf der Website ansehen" links (change_form.html):
    # Django's single link would lead to a 404 for every draft.
    view_on_site = False
    list_filter = [StatusFilter, "section", "kind", "featured", "publish_at"]
    list_select_related = ["section", "author", "lead_image"]
    # Searched through the full-text index (get_search_results), not with ILIKE.
    search_fields = ["headline"]
    search_help_text = _(
        "Wörter aus Dachzeile, Überschrift, Vorspann oder Text; das letzte Wort auch als "
        "Anfang (Digitalis…). Eine Zahl sucht die Artikelnummer."
    )
    date_hierarchy = "publish_at"
    # Only orders an index serves: sorting 200,000 rows by section or byline takes ~250 ms.
    sortable_by = ["title_column", "publish_column"]
    # Fifty rows, not Django's hundred: rendering a row costs ~1.6 ms, so a
    # page of 100 put the list near 300 ms p95 at 200,000 articles whatever
    # the database did (bench-admin). Search and filters find older ones.
    list_per_page = 50
    # The author is a plain list of the newsroom (ArticleForm): an autocomplete
    # would need the user directory's view permission.
    autocomplete_fields = ["section", "lead_image", "vendors"]
    inlines = [ArticleLinkInline]
    # At 200,000 articles no list view may count them all: see CappedCountPaginator.
    paginator = CappedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    # What an editor writes first comes first: the headline, then its kicker.
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "headline",
                    "kicker",
                    ("section", "kind"),
                    "teaser",
                    "body",
                    "slug",
                    "loaded_version",
                    "loaded_fields",
                ]  # fmt: skip
            },
        ),
        (_("Bild, Stichwörter, IT-Guide"), {"fields": ["lead_image", "tags", "vendors"]}),
        WritingToolsAdmin.writing_fieldset,
        (
            _("Veröffentlichung"),
            {"fields": ["status", "publish_at", "featured", "author", "byline"]},
        ),
    ]

    actions = [
        "publish_selected", "publish_now_selected", "unpublish_selected", "revoke_preview_links",
    ]  # fmt: skip

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lead_image":  # with thumbnails (articles.admin.pictures)
            kwargs["widget"] = LeadPictureSelect(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @property
    def media(self):
        # The editor's German dialog texts come from its own JavaScript catalogue.
        return super().media + forms.Media(
            js=[
                reverse("admin:articles_article_jsi18n"),
                "js/editor-de.js",
                "js/tag-autocomplete.js",
                "js/article-form.js",
                "js/presence.js",
            ],
        )

    def get_urls(self):
        catalog = JavaScriptCatalog.as_view(packages=["django_prose_editor"])
        view = self.admin_site.admin_view
        return [
            path("jsi18n/", catalog, name="articles_article_jsi18n"),
            path("planung/", view(self.calendar_view), name="articles_article_calendar"),
            path(
                "link-suche/",
                view(lambda request: article_link_search(self, request)),
                name="articles_article_link_search",
            ),
            path(
                "<path:object_id>/vorschau/",
                view(self.preview_view),
                name="articles_article_preview",
            ),
            path(
                "<path:object_id>/vorschau/widerrufen/",
                view(self.revoke_previews_view),
                name="articles_article_revoke_previews",
            ),
            path(
                "<path:object_id>/versionen/",
                view(self.revisions_view),
                name="articles_article_revisions",
            ),
            path(
                "<path:object_id>/versionen/<int:number>/wiederherstellen/",
                view(self.restore_view),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if request.method == "POST" and obj is not None and obj.pk and inline.model is ArticleLink:
            kwargs["data"] = rebase_stale_link_rows(kwargs["data"], obj, prefix)
            if getattr(obj, "keep_stored_links", False):  # a conflict settled for theirs
                kwargs["data"] = stored_link_rows(kwargs["data"], obj, prefix)
        return kwargs

    def save_model(self, request, obj, form, change):
        if change:
            keep_original(obj)
        super().save_model(request, obj, form, change)
        if obj.body_removed:  # pasted pictures from elsewhere, links into nowhere
            self.message_user(request, removal_message(obj.body_removed), messages.WARNING)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.kept_apart:  # a published article's edits went into its working copy
            return
        article = form.instance
        article.set_tags(form.cleaned_data["tags"])
        fields = [
            str(form.fields[name].label) for name in form.changed_data if name in form.fields
        ]
        fields += [str(f.model._meta.verbose_name_plural) for f in formsets if f.has_changed()]
        if not change:
            comment = _("Angelegt")
        elif fields:
            comment = _("Geändert: %(fields)s") % {"fields": ", ".join(fields)}
        else:
            comment = _("Gespeichert ohne Änderung")
        save_revision(article, request.user, comment)

    def calendar_view(self, request):
        """What goes live when: articles with a publish time, by week or month, Berlin time."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        calendar = PlanningCalendar.from_query(request.GET)
        entries = calendar.entries(
            Article.objects.exclude(status=Article.Status.UNPUBLISHED)
            .select_related("section")
            .only("pk", "kicker", "headline", "status", "publish_at", "section__name")
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Planung"),
            "crumb": _("Planung"),
            "calendar": calendar,
            "weeks": calendar.weeks(entries),
        }
        return TemplateResponse(request, "admin/articles/article/calendar.html", context)

    def preview_view(self, request, object_id):
        """The article exactly as readers will see it, with a link to share the preview."""
        article = Article.objects.for_page().filter(pk=_int(object_id)).first()
        if article is None or not self.has_view_permission(request, article):
            raise Http404
        article = with_working_copy(article)  # a published one: the draft of its change
        link = request.build_absolute_uri(
            reverse("articles:preview-link", args=[preview_token(article)])
        )
        until = timezone.now() + datetime.timedelta(days=settings.PREVIEW_DAYS)
        may_revoke = self.has_change_permission(request)
        return render_preview(
            request,
            article,
            share_link=link,
            share_until=until,
            revoked=request.GET.get("widerrufen") == "1",
            revoke_url=may_revoke
            and reverse("admin:articles_article_revoke_previews", args=[article.pk]),
        )

    def revoke_previews_view(self, request, object_id):
        """The preview page's button: void the links shared so far, show the new one."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = Article.objects.filter(pk=_int(object_id)).first()
        if article is None or not self.has_view_permission(request, article):
            raise Http404
        if not self.has_change_permission(request):
            raise PermissionDenied
        Article.objects.filter(pk=article.pk).revoke_preview_links()
        preview = reverse("admin:articles_article_preview", args=[article.pk])
        return redirect(f"{preview}?widerrufen=1")

    def revisions_view(self, request, object_id):
        """Every saved version, a readable diff between any two, and a way back."""
        article = self.get_object(request, object_id)
        if article is None or not self.has_view_permission(request, article):
            raise Http404
        # The list without the content; only the two compared revisions load theirs.
        revisions = list(article.revisions.select_related("user").defer("data"))
        by_number = {revision.number: revision for revision in revisions}
        newer = by_number.get(_int(request.GET.get("b"))) or (revisions[0] if revisions else None)
        older = by_number.get(_int(request.GET.get("a")))
        if older is None and newer is not None:
            older = by_number.get(newer.number - 1)
        diff = None
        if older and newer:
            data = dict(
                article.revisions.filter(number__in=[older.number, newer.number]).values_list(
                    "number", "data"
                )
            )
            diff = compare(data[older.number], data[newer.number])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("Versionen von „%(title)s“") % {"title": article.title},
            "crumb": _("Versionen"),
            "revisions": revisions,
            "older": older,
            "newer": newer,
            "diff": diff,
            # Of a published article into the draft of its change (TwoEditorsAdmin.restore_view).
            "can_restore": self.may_edit(request, article),
        }
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("body", "search_vector")

    def get_search_results(self, request, queryset, search_term):
        """Full-text search with the German configuration; a number finds that article."""
        term = search_term.strip()
        if not term:
            return queryset, False
        if re.fullmatch(r"[0-9]{1,18}", term):
            return queryset.filter(pk=int(term)), False
        return queryset.filter(search_vector=spelled_out(build_query(term), queryset)), False

    def get_changeform_initial_data(self, request):
        """A new article is by the person writing it, until they say otherwise."""
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    def preview_url(self, article):
        return reverse("admin:articles_article_preview", args=[article.pk])

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def changelist_view(self, request, extra_context=None):
        # The list needs the width: without the navigation beside it (the
        # breadcrumbs and the start page lead elsewhere), it fits 1280 px.
        extra_context = {"is_nav_sidebar_enabled": False, **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def may_edit(self, request, article):
        """May this person work on this article's form (save, autosave, restore, be seen
        there)? A published or scheduled one never changes by that: its saves and restores
        go into its working copy (articles.review), which the Redaktion may propose and
        only who may publish puts live."""
        return super().has_change_permission(request, article)

    @admin.action(description=_("Ausgewählte Artikel veröffentlichen"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        """Publish; one with a time still to come stays scheduled (an embargo holds),
        and the message names it with its time."""
        self._publish(request, queryset, Article.publish)

    @admin.action(
        description=_("Ausgewählte Artikel sofort veröffentlichen, auch geplante"),
        permissions=["publish"],
    )
    def publish_now_selected(self, request, queryset):
        self._publish(request, queryset, Article.publish_now)

    def _publish(self, request, queryset, publish):
        done = self._change_status(request, queryset, publish)
        # Now visible, whether or not it was before; the rest waits for its time.
        visible = [a for a in done if a.is_visible]
        if visible:
            self.message_user(
                request,
                _("%(n)d Artikel veröffentlicht.") % {"n": len(visible)},
                messages.SUCCESS,
            )
        for article in [a for a in done if a.is_scheduled]:
            self.message_user(
                request,
                _(
                    "„%(title)s“ ist geplant für %(when)s und erscheint dann von selbst. "
                    "Sofort erscheint er mit „Ausgewählte Artikel sofort veröffentlichen, "
                    "auch geplante“."
                )
                % {"title": article.title, "when": _at(article.publish_at)},
                messages.WARNING,
            )

    @admin.action(description=_("Ausgewählte Artikel zurückziehen"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        scheduled = {a.pk: a.publish_at for a in queryset if a.is_scheduled}
        done = self._change_status(request, queryset, Article.unpublish)
        self.message_user(
            request, _("%(n)d Artikel zurückgezogen.") % {"n": len(done)}, messages.SUCCESS
        )
        for article in [a for a in done if a.pk in scheduled]:
            self.message_user(
                request,
                _("„%(title)s“ war geplant für %(when)s und erscheint nun nicht.")
                % {"title": article.title, "when": _at(scheduled[article.pk])},
                messages.INFO,
            )

    @admin.action(description=_("Vorschau-Links widerrufen"), permissions=["change"])
    def revoke_preview_links(self, request, queryset):
        """For a link that reached the wrong people: those shared so far stop working."""
        count = queryset.revoke_preview_links()
        self.message_user(
            request,
            ngettext(
                "Die bisherigen Vorschau-Links von %(n)d Artikel gelten nicht mehr.",
                "Die bisherigen Vorschau-Links von %(n)d Artikeln gelten nicht mehr.",
                count,
            )
            % {"n": count},
            messages.SUCCESS,
        )

    def _change_status(self, request, queryset, change):
        """Apply ``change`` to each selected article; the articles as they are after it.

        Each row is locked and read afresh, and only status and time are
        written: an editor's save that committed a moment ago stays as it is.
        One that ``change`` leaves as it was is not saved at all, so no new
        version makes a form open on it meet a conflict.
        """
        ids = list(queryset.values_list("pk", flat=True))
        done = []
        with transaction.atomic():
            for article in Article.objects.select_for_update().filter(pk__in=ids):
                before = (article.status, article.publish_at)
                change(article)
                if (article.status, article.publish_at) != before:
                    keep_original(article)
                    article.save(update_fields=["status", "publish_at"])
                    comment = article.get_status_display()
                    if article.is_scheduled:
                        comment = _("Geplant für %(when)s") % {"when": _at(article.publish_at)}
                    save_revision(article, request.user, comment)
                done.append(article)
        return done


def _at(moment):
    """ "10.12.2026, 14:00 Uhr", Berlin time."""
    return _("%(date)s, %(time)s Uhr") % {
        "date": date_format(timezone.localtime(moment), "d.m.Y"),
        "time": date_format(timezone.localtime(moment), "H:i"),
    }


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def rebase_stale_link_rows(data, article, prefix):
    """Lay link rows posted from an outdated form onto the article's current rows.

    When someone else added or removed links meanwhile, the posted row ids no
    longer exist and Django's formset would refuse the save with an error on a
    hidden field, leaving the editor stuck. The posted rows (this editor's
    version) take the current rows' places by position; current rows beyond
    them are marked for deletion, visibly, in the form shown again.
    """
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", 0))
        initial = int(data.get(f"{prefix}-INITIAL_FORMS", 0))
    except (TypeError, ValueError):
        return data
    current = list(article.links.order_by("position", "id"))
    known = {str(link.pk) for link in current}
    posted_ids = [data.get(f"{prefix}-{n}-id", "") for n in range(min(initial, total))]
    if all(pk in known for pk in posted_ids):
        return data
    fields = ("label", "url", "position", "DELETE")
    rows = [
        {field: data.get(f"{prefix}-{n}-{field}", "") for field in fields}
        for n in range(min(total, 1000))
    ]
    rows += [
        {"label": link.label, "url": link.url, "position": str(link.position), "DELETE": "on"}
        for link in current[len(rows) :]
    ]
    rebased = data.copy()
    for key in [k for k in rebased if k.startswith(f"{prefix}-") and k[len(prefix) + 1].isdigit()]:
        del rebased[key]
    for n, row in enumerate(rows):
        rebased[f"{prefix}-{n}-id"] = str(current[n].pk) if n < len(current) else ""
        rebased[f"{prefix}-{n}-article"] = str(article.pk)
        for field, value in row.items():
            if value:
                rebased[f"{prefix}-{n}-{field}"] = value
    rebased[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
    rebased[f"{prefix}-INITIAL_FORMS"] = str(min(len(rows), len(current)))
    return rebased
