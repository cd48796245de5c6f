"""Nothing typed is lost: the article form's autosaves, and a preview of what it holds now.

The form (static/js/autosave.js) posts its fields here a few seconds after a
change and when the page is hidden or closed; opening the form again offers
them back. An autosave is the editor's alone, never a save of the article:
no version, no revision, no conflict for anyone else. The preview renders the
posted form as readers would see it, without saving anything.
"""

import json
import re

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from articles.autosave import Autosave
from articles.models import Article, Tag
from articles.views.article import render_preview
from portal.lib import ratelimit

# An article's form as JSON is some kilobytes; a long one with many
# paragraphs some tens. More is not a form.
MAX_BYTES = 512 * 1024
MAX_FIELDS = 2000
# Per editor: one every two seconds on average over a minute (two tabs saving
# every few seconds fit), so a stuck script cannot fill the database.
RATE = (30, 60)
# The id a new article's form makes up for itself (autosave.js: 32 hex digits).
KEY = re.compile(r"[0-9a-f]{32}")


class AutosaveAdminMixin:
    """For ArticleAdmin: the autosave and current-preview addresses, and a save that
    removes the editor's autosave of what was saved."""

    @property
    def media(self):
        return super().media + forms.Media(js=["js/autosave.js"])

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "zwischenstand/",
                view(lambda request: autosave_view(self, request)),
                name="articles_article_autosave",
            ),
            path(
                "vorschau-aktuell/",
                view(lambda request: current_preview_view(self, request)),
                name="articles_article_current_preview",
            ),
            *super().get_urls(),
        ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # In the save's transaction: a save that fails keeps the autosave.
        key = request.POST.get("autosave_key", "")
        obsolete = Q(article=form.instance)
        if KEY.fullmatch(key):  # the form it was new in
            obsolete |= Q(article__isnull=True, key=key)
        Autosave.objects.filter(obsolete, user=request.user).delete()


def autosave_view(model_admin, request):
    """GET: the editor's autosave for the form (?artikel=<id>, or ?neu=1 for a new
    article's form). POST: keep the form's fields (aktion=sichern) or forget them
    (aktion=verwerfen). Only ever the editor's own."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    params = request.GET if request.method == "GET" else request.POST
    article = None
    if params.get("artikel"):
        article = Article.objects.filter(pk=_int(params["artikel"])).first()
        if article is None:
            return _refused(_("Diesen Artikel gibt es nicht mehr."), 404)
        if not model_admin.may_edit(request, article):
            return _refused(_("Sie dürfen diesen Artikel nicht ändern."), 403)
    elif not model_admin.has_add_permission(request):
        return _refused(_("Sie dürfen keine Artikel anlegen."), 403)

    if request.method == "GET":
        if article is not None:
            autosave = Autosave.objects.of(request.user, article).first()
        else:
            autosave = Autosave.objects.of_new_articles(request.user).first()
        return JsonResponse({"autosave": autosave and described(autosave, article)})

    key = params.get("key", "")
    if article is None and not KEY.fullmatch(key):
        return _refused(_("Das Formular hat keine gültige Kennung."), 400)
    if params.get("aktion") == "verwerfen":
        Autosave.objects.of(request.user, article, key).delete()
        return JsonResponse({"discarded": True})

    name = ratelimit.counter("autosave", str(request.user.pk))
    if ratelimit.count(name, RATE[1]) > RATE[0]:
        return _refused(_("Zu viele Zwischenstände in kurzer Zeit; bitte kurz warten."), 429)
    text = params.get("data", "")
    if len(text.encode()) > MAX_BYTES:
        return _refused(_("Der Zwischenstand ist zu groß, um ihn automatisch zu sichern."), 413)
    data = _form_data(text)
    if data is None:
        return _refused(_("Der Zwischenstand ist nicht lesbar."), 400)
    autosave = Autosave.store(
        request.user, data, article=article, key=key, version=_int(params.get("version"))
    )
    return JsonResponse(
        {"saved_at": autosave.saved_at.isoformat(), "saved_at_text": _time(autosave.saved_at)}
    )


def described(autosave, article):
    """An autosave as the form offers it back."""
    saved_at = timezone.localtime(autosave.saved_at)
    result = {
        "key": autosave.key,
        "data": autosave.data,
        "saved_at": saved_at.isoformat(),
        "saved_at_text": date_format(saved_at, "j.n.Y, H:i:s"),
        "version": autosave.version,
        "saved_since": None,
    }
    if article is not None and autosave.version is not None and article.version > autosave.version:
        last = article.revisions.select_related("user").first()
        result["saved_since"] = {
            "version": article.version,
            "by": last and last.user and (last.user.get_full_name() or last.user.get_username()),
            "at": date_format(timezone.localtime(article.updated_at), "j.n.Y, H:i:s"),
        }
    return result


def _form_data(text):
    """The posted form fields if they have the shape autosave.js sends, else None."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("fields"), list):
        return None
    fields = data["fields"]
    labels = data.get("labels", {})
    if len(fields) > MAX_FIELDS or not isinstance(labels, dict):
        return None
    if not all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(v, str) for v in pair)
        for pair in fields
    ):
        return None
    if not all(
        isinstance(names, dict) and all(isinstance(v, str) for v in names.values())
        for names in labels.values()
    ):
        return None
    at = data.get("at", 0)
    if type(at) is not int:
        return None
    return {"fields": fields, "labels": labels, "at": at}


def current_preview_view(model_admin, request):
    """The article as the form holds it now (posted, not saved), as readers would see it.

    Opened in a window of its own (the form's "Vorschau" button); fields the
    form would refuse keep their saved value and are named on the page.
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    pk = _int(request.GET.get("artikel"))
    if pk is not None:
        article = Article.objects.for_page().filter(pk=pk).first()
        if article is None:
            raise Http404
        if not model_admin.may_edit(request, article):
            raise PermissionDenied
        back = reverse("admin:articles_article_change", args=[article.pk])
    else:
        if not model_admin.has_add_permission(request):
            raise PermissionDenied
        article = Article(updated_at=timezone.now())
        back = reverse("admin:articles_article_add")
    form_class = model_admin.get_form(request, article if pk is not None else None)
    # Nothing is saved, so nothing can conflict: skip the check (and its row lock).
    preview_form = type("PreviewForm", (form_class,), {"check_for_conflict": _no_conflict})
    form = preview_form(request.POST, instance=article)
    form.is_valid()  # fills the article with every field that is valid
    refused = [
        (str(form.fields[name].label) if name in form.fields else "", " ".join(errors))
        for name, errors in form.errors.items()
    ]
    if article.section_id is None:
        context = {
            **model_admin.admin_site.each_context(request),
            "title": _("Vorschau"),
            "refused": refused,
            "back_url": back,
        }
        return TemplateResponse(
            request, "admin/articles/article/autosave_preview_missing.html", context, status=200
        )
    if article.pk is None:
        article.pk = 0  # the page links to itself; an address that is not one
    if "tags" in form.cleaned_data:
        article.tag_rows = _tag_rows(form.cleaned_data["tags"])
    article.link_rows = _link_rows(form.posted_links())
    return render_preview(request, article, unsaved=True, refused=refused, back_url=back)


def _no_conflict(form, cleaned):
    return None


def _tag_rows(names):
    """The Stichwörter typed, as the page lists them; new ones are shown, not made."""
    known = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    return [
        {"pk": known[name].pk, "name": name, "slug": known[name].slug}
        if name in known
        else {"pk": None, "name": name, "slug": slugify(name) or "stichwort"}
        for name in names
    ]


def _link_rows(pairs):
    """The further-information links typed; an address the form would refuse is left out."""
    field = forms.URLField(assume_scheme="https")
    rows = []
    for position, (label, url) in enumerate(pairs):
        try:
            url = field.clean(url)
        except forms.ValidationError:
            continue
        rows.append({"pk": None, "label": label, "url": url, "position": position})
    return rows


def _refused(message, status):
    return JsonResponse({"error": message}, status=status)


def _time(moment):
    return date_format(timezone.localtime(moment), "H:i:s")


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
