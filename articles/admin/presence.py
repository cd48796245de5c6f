"""Two editors on one article: who else has it open, conflicts settled field by field,
and restoring an earlier version after a look at it (issue 24, point 7)."""

import re

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from articles import presence, review
from articles.diff import readable
from articles.models import Article
from articles.revisions import compare, restore, snapshot
from portal.lib.text import sanitize_html

# A browser tab's own name for itself (js/presence.js): letters, digits, dashes.
_TAB = re.compile(r"[A-Za-z0-9-]{8,64}")


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def presence_note(article_id, user):
    """ "Auch geöffnet von Maximiliane Müller seit 14:03 Uhr", or "" when nobody else is there."""
    rows = presence.others(article_id, user.pk)
    if not rows:
        return ""
    users = get_user_model().objects.in_bulk([user_id for user_id, _since in rows])
    today = timezone.localdate()
    parts = []
    for user_id, since in rows:
        other = users.get(user_id)
        if other is None:
            continue
        local = timezone.localtime(since)
        when = date_format(local, "H:i" if local.date() == today else "j.n., H:i")
        parts.append(
            _("%(name)s seit %(when)s Uhr")
            % {"name": other.get_full_name() or other.get_username(), "when": when}
        )
    if not parts:
        return ""
    if len(parts) > 1:
        parts = [", ".join(parts[:-1]), parts[-1]]
    return _("Auch geöffnet von %(people)s") % {"people": _(" und ").join(parts)}


class TwoEditorsAdmin:
    """For ArticleAdmin: the presence endpoint, the conflict's heading, restore with a look."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/anwesenheit/",
                view(self.presence_view),
                name="articles_article_presence",
            ),
            *super().get_urls(),
        ]

    def presence_view(self, request, object_id):
        """The open form says "still here" (or, closing, "gone"); the answer: who else is."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = Article.objects.only("pk", "status").filter(pk=_int(object_id)).first()
        if article is None:
            raise Http404
        # A published article too: its form saves into the draft of a change.
        if not self.may_edit(request, article):
            raise PermissionDenied
        tab = request.POST.get("tab", "")
        if not _TAB.fullmatch(tab):
            return HttpResponseBadRequest()
        if request.POST.get("leave"):
            presence.leave(article.pk, request.user.pk, tab)
            return HttpResponse(status=204)
        presence.announce(article.pk, request.user.pk, tab)
        return JsonResponse({"text": presence_note(article.pk, request.user)})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        if obj is not None and obj.pk and self.may_edit(request, obj):
            context["presence_url"] = reverse("admin:articles_article_presence", args=[obj.pk])
            context["presence_note"] = presence_note(obj.pk, request.user)
        # A conflict has a heading of its own that says what happened; Django's
        # "Bitte korrigieren Sie den unten aufgeführten Fehler" stays for real errors.
        conflict = getattr(form, "conflict", None)
        only_conflict = set(form.errors) == {"__all__"} and len(form.non_field_errors()) == 1
        formsets = context.get("inline_admin_formsets", [])
        formsets_fine = not any(
            any(inline.formset.errors) or inline.formset.non_form_errors() for inline in formsets
        )
        if conflict and only_conflict and formsets_fine and not conflict.published_meanwhile:
            context["errors"] = []
        return super().render_change_form(request, context, add, change, form_url, obj)

    def restore_view(self, request, object_id, number):
        """GET: the earlier version, as it was and against today's, and a question.
        POST: bring it back, as a new version; of a published article, into the draft of
        its next change (articles.review): readers keep the live version until it is
        published, so whoever may draft a change may restore."""
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        if request.method == "GET":
            article = Article.objects.filter(pk=_int(object_id)).first()
            if article is None:
                raise Http404
            if not self.may_edit(request, article):
                raise PermissionDenied
            revision = get_object_or_404(article.revisions.select_related("user"), number=number)
            return self._restore_page(request, article, revision)
        with transaction.atomic():
            # Locked and read afresh: a take-back or save that just committed
            # must not be undone by restoring from a stale copy.
            article = Article.objects.select_for_update().filter(pk=_int(object_id)).first()
            if article is None:
                raise Http404
            if not self.may_edit(request, article):
                raise PermissionDenied
            revision = get_object_or_404(article.revisions, number=number)
            if review.uses_working_copy(article):
                review.restore_into_working_copy(article, revision, request.user)
                new = None
            else:
                new = restore(article, revision, request.user)
        if new is None:
            self.log_change(
                request, article, [{"changed": {"fields": [str(_("Entwurf der Änderung"))]}}]
            )
            text = _(
                "Version %(old)d steht jetzt im Entwurf der Änderung. Veröffentlicht bleibt "
                "die bisherige Fassung, bis die Änderungen veröffentlicht werden."
            ) % {"old": revision.number}
        else:
            self.log_change(request, article, [{"changed": {"fields": [str(new)]}}])
            text = _("Version %(old)d wiederhergestellt; gespeichert als Version %(new)d.") % {
                "old": revision.number,
                "new": new.number,
            }
        self.message_user(request, text, messages.SUCCESS)
        return redirect("admin:articles_article_change", article.pk)

    def _restore_page(self, request, article, revision):
        old = revision.data
        shown = readable(old)
        # A published article's restore goes into the draft of its change: compared with that.
        into_draft = review.uses_working_copy(article)
        copy = review.working_copy_of(article) if into_draft else None
        now = {**snapshot(article), **copy.data} if copy else snapshot(article)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("Version %(number)d wiederherstellen?") % {"number": revision.number},
            "crumb": _("Wiederherstellen"),
            "revision": revision,
            # What restoring changes: today's text struck, the old one underlined.
            "diff": compare(now, old),
            "into_draft": into_draft,
            "has_draft": copy is not None,
            "old": {
                "kicker": old.get("kicker", ""),
                "headline": old.get("headline", ""),
                "teaser": old.get("teaser", ""),
                # Sanitized when it was saved; once more, as it comes from JSON.
                "body": mark_safe(sanitize_html(old.get("body") or "")),  # noqa: S308
                "section": shown.get("section", ""),
                "kind": shown.get("kind", ""),
                "tags": ", ".join(old.get("tags") or []),
                "links": old.get("links") or [],
                "byline": old.get("byline", ""),
                "lead_image": shown.get("lead_image", ""),
            },
        }
        return TemplateResponse(request, "admin/articles/article/restore.html", context)
