"""The article form's publishing bar and the review desk's part of the admin.

The bar's buttons (articles.review.ACTIONS) replace the status select: the
status stays the article's truth, set here on the server from the button
after checking what this person may do; a posted status is never taken for
a step the role may not take. Saves of a published article go into its
working copy (articles.review), which only publishing makes live.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles import review
from articles.models import Article, ArticleLink
from articles.revisions import unsaved_snapshot
from portal.lib.text import sanitize_html

NOTE_MAX = 2000


def posted_action(request):
    action = request.POST.get("_workflow") if request.method == "POST" else None
    return action if action in review.ACTIONS else None


class DeskForm(forms.Form):
    """Mixed into the article form: the status follows the button pressed."""

    desk_action = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # As stored when the request began: a save may change the instance.
        self.live = review.uses_working_copy(self.instance)
        copy = review.working_copy_of(self.instance) if self.live else None
        if self.live:
            self.was_in_review = (
                copy is not None and copy.status == review.WorkingCopy.Status.REVIEW
            )
        else:
            self.was_in_review = self.instance.status == Article.Status.REVIEW
        self.submitter = review.submitter_of(self.instance) if self.instance.pk else None
        self.kept_apart = False
        if "status" in self.fields:
            self.fields["status"].widget = forms.HiddenInput()
            self.fields["status"].required = self.desk_action is None
        if copy is not None and not self.is_bound:
            # The form shows the draft of the change, not the live text.
            for name, value in copy.data.items():
                if name in self.fields and name not in ("status", "links", "tags", "vendors"):
                    self.initial[name] = Article._meta.get_field(name).to_python(value)
            self.initial["tags"] = copy.data.get("tags", [])
            if "vendors" in copy.data:
                self.initial["vendors"] = copy.data["vendors"]

    def clean_status(self):
        action = self.desk_action
        if action is None:
            return super().clean_status()
        if action not in review.allowed_actions(self.user, self.instance):
            raise forms.ValidationError(
                _("„%(action)s“ steht Ihnen für diesen Artikel nicht zu.")
                % {"action": label_of(action)},
                code="not_allowed",
            )
        if self.live:
            return self.instance.status  # the working copy takes the change
        self.cleaned_data["status"] = review.target_status(action, self.instance)
        return super().clean_status()


def label_of(action, scheduled=False):
    return {
        review.SAVE: _("Speichern"),
        review.SUBMIT: _("Zur Prüfung einreichen"),
        review.PUBLISH: _("Planen") if scheduled else _("Veröffentlichen"),
        review.RETURN: _("Zurück an die Redaktion"),
        review.UNPUBLISH: _("Zurückziehen"),
    }[action]


def _at(moment):
    return _("am %(when)s") % {"when": review.at(moment)}


def bar_buttons(user, article, live, copy):
    """(action, label, what it does) for each button this person gets."""
    scheduled = article.publish_at is not None and article.publish_at > timezone.now()
    submitter = review.submitter_of(article) if article.pk else None
    hints = {
        review.SAVE: _("Entwurf der Änderung; die veröffentlichte Fassung bleibt unverändert")
        if live
        else _("Status bleibt „%(status)s“; nichts wird veröffentlicht")
        % {"status": article.get_status_display() if article.pk else _("Entwurf")},
        review.SUBMIT: _("Änderung der Chefredaktion vorschlagen; live bleibt die jetzige Fassung")
        if live
        else _("Die Chefredaktion wird per E-Mail benachrichtigt, Ihr Hinweis geht mit"),
        review.PUBLISH: (
            _("erscheint %(when)s") % {"when": _at(article.publish_at)}
            if scheduled
            else _("ersetzt die veröffentlichte Fassung sofort")
            if live
            else _("sofort sichtbar für alle Leser")
        ),
        review.RETURN: _("mit Ihrem Hinweis; %(who)s wird per E-Mail benachrichtigt")
        % {"who": review._name(submitter) or _("die Redaktion")},
        review.UNPUBLISH: _("nimmt den Artikel von der Website"),
    }
    return [
        {
            "action": action,
            "label": _("Änderungen veröffentlichen")
            if action == review.PUBLISH and live and not scheduled
            else label_of(action, scheduled),
            "hint": hints[action],
            "primary": action == (review.PUBLISH if review.may_publish(user) else review.SUBMIT),
        }
        for action in review.allowed_actions(user, article)
    ]


class WorkingCopyLinks:
    """For the links inline: one empty row more than the draft of the change has links."""

    def get_extra(self, request, obj=None, **kwargs):
        copy = review.working_copy_of(obj) if obj is not None and obj.pk else None
        if copy is not None and request.method != "POST":
            return len(copy.data.get("links", [])) + 1
        return super().get_extra(request, obj, **kwargs)


class ReviewDesk:
    """ArticleAdmin's part of the review desk (listed first among its bases)."""

    @property
    def media(self):
        return super().media + forms.Media(js=["js/review-desk.js"])

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/entwurf-verwerfen/",
                view(self.discard_view),
                name="articles_article_discard_draft",
            ),
            *super().get_urls(),
        ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (DeskForm, form), {"desk_action": posted_action(request)})

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        copy = review.working_copy_of(obj) if obj is not None and obj.pk else None
        if copy is not None and inline.model is ArticleLink and request.method != "POST":
            kwargs["queryset"] = ArticleLink.objects.none()
            kwargs["initial"] = [
                {"label": label, "url": url, "position": n}
                for n, (label, url) in enumerate(copy.data.get("links", []))
            ]
        return kwargs

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read-only: the text as the page shows it, not its HTML source.
        return [
            (name, {**options, "fields": [
                "rendered_body" if field == "body" else field for field in options["fields"]
            ]})
            for name, options in fieldsets
        ]  # fmt: skip

    @admin.display(description=gettext_lazy("Text"))
    def rendered_body(self, article):
        html = sanitize_html(article.body)
        return mark_safe(f'<div class="desk-readonly-body">{html}</div>')  # noqa: S308 - sanitized

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "rendered_body"]

    def save_model(self, request, obj, form, change):
        # For _after_step: who is told (the submitter, when a step answers theirs).
        request.desk_step = {
            "live": form.live,
            "submitter": form.submitter if form.was_in_review else None,
        }
        if not form.live:
            return super().save_model(request, obj, form, change)
        # A published article: the edits go into its working copy; readers keep the live one.
        action = form.desk_action or review.SAVE
        data = unsaved_snapshot(obj, form.cleaned_data["tags"], form.posted_links())
        data["vendors"] = [vendor.pk for vendor in form.cleaned_data.get("vendors") or []]
        form.kept_apart = True
        note = _note(request)
        review.save_working_copy(obj, data, request.user, action, note)
        if action in (review.PUBLISH, review.UNPUBLISH):
            status = (
                Article.Status.PUBLISHED
                if action == review.PUBLISH
                else Article.Status.UNPUBLISHED
            )
            applied = review.apply_working_copy(obj, request.user, status, note)
            obj.status, obj.publish_at, obj.version = (
                applied.status,
                applied.publish_at,
                applied.version,
            )
        return None

    def save_related(self, request, form, formsets, change):
        if not form.kept_apart:
            super().save_related(request, form, formsets, change)

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(form, "kept_apart", False):  # the formsets were not saved: nothing to list
            return [{"changed": {"fields": [str(_("Entwurf der Änderung"))]}}]
        return super().construct_change_message(request, form, formsets, add)

    def response_add(self, request, obj, post_url_continue=None):
        return self._after_step(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self._after_step(request, obj) or super().response_change(request, obj)

    def _after_step(self, request, obj):
        """Keep the note with the step, tell whom it concerns, say what happened."""
        action = posted_action(request)
        if action is None:
            return None
        form_note = _note(request)
        step = getattr(request, "desk_step", {"live": False, "submitter": None})
        live, submitter = step["live"], step["submitter"]
        change_url = reverse("admin:articles_article_change", args=[obj.pk])
        url = request.build_absolute_uri(change_url)
        if not live:
            revision = obj.revisions.first()
            if revision is not None:
                review.mark_step(revision, action, form_note)
        tell = review.tell(
            action, obj, request.user, form_note, url, submitter=submitter,
            change_of_live=live,
        )  # fmt: skip
        self.message_user(request, _step_message(action, obj, live, tell), messages.SUCCESS)
        return HttpResponseRedirect(change_url)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        live = getattr(form, "live", False)
        copy = review.working_copy_of(obj) if obj is not None and live else None
        article = obj or form.instance
        if self.has_change_permission(request, obj):
            context["desk"] = {
                "buttons": bar_buttons(request.user, article, live, copy),
                "status": (
                    _("Veröffentlicht – Entwurf einer Änderung: %(status)s")
                    % {"status": copy.get_status_display()}
                    if copy
                    else _("Geplant")
                    if article.is_scheduled
                    else article.get_status_display()
                    if article.pk
                    else _("Neu")
                ),  # fmt: skip
                "live": live,
                "copy": copy,
                "note_max": NOTE_MAX,
            }
        if obj is not None:
            context["desk_step"] = review.last_step(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def discard_view(self, request, object_id):
        """The bar's "Entwurf verwerfen": the draft of a change goes, the live text stays."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = Article.objects.filter(pk=_int(object_id)).first()
        if article is None:
            raise Http404
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        review.discard_working_copy(article)
        self.message_user(
            request,
            _("Der Entwurf der Änderung ist verworfen; es gilt die veröffentlichte Fassung."),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))


def _note(request):
    return request.POST.get("desk_note", "").strip()[:NOTE_MAX]


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _step_message(action, article, live, told):
    title = article.title
    if action == review.SAVE:
        text = (
            _("Entwurf der Änderung von „%(title)s“ gespeichert; veröffentlicht ist weiter die "
              "bisherige Fassung.")
            if live
            else _("„%(title)s“ gespeichert.")
        )  # fmt: skip
    elif action == review.SUBMIT:
        text = _("„%(title)s“ ist zur Prüfung eingereicht.")
    elif action == review.RETURN:
        text = _("„%(title)s“ ist zurück an die Redaktion.")
    elif action == review.PUBLISH:
        text = (
            _("„%(title)s“ ist geplant und erscheint %(when)s.")
            if article.is_scheduled
            else _("„%(title)s“ ist veröffentlicht.")
        )
    else:
        text = _("„%(title)s“ ist zurückgezogen.")
    text = text % {"title": title, "when": _at(article.publish_at) if article.publish_at else ""}
    if told:
        text += " " + _("Benachrichtigt: %(who)s.") % {"who": ", ".join(told)}
    return text
