"""The article form's writing tools (issue 24, point 8): SEO title and description with
live counters and a search-result preview, the social picture with a card preview,
and hand-picked related articles.

The word count and the editor's tables, info box and video are the editor's part
(static/js/editor-writing.js); the previews here are kept current by
static/js/writing-tools.js.
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.http import Http404, JsonResponse
from django.template.loader import render_to_string
from django.urls import path
from django.utils.translation import gettext_lazy as _

from articles.forms import CountedTextInput
from articles.models import Image, RelatedPick
from articles.writing import SEARCH_DESCRIPTION_LENGTH, SEARCH_TITLE_LENGTH

# The most an editor picks; the box shows the section's newest after them.
MAX_PICKS = 5


class RelatedPickInline(admin.TabularInline):
    model = RelatedPick
    fk_name = "article"
    fields = ["picked", "position"]
    autocomplete_fields = ["picked"]
    extra = 1
    max_num = MAX_PICKS
    verbose_name = _("Artikel zum Thema")
    verbose_name_plural = _(
        "Mehr zum Thema: von Hand gewählte Artikel (erscheinen vor den neuesten des Bereichs)"
    )

    # Part of the article, like its text: whoever may write the article may pick,
    # with no permissions of its own for the newsroom's groups to be given.
    def _may_write(self, request, obj):
        user = request.user
        return user.has_perm("articles.change_article") or (
            obj is None and user.has_perm("articles.add_article")
        )

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_article") or self._may_write(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._may_write(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_write(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_write(request, obj)


class CountedTextarea(forms.Textarea):
    """A short text area with "97 von 160 Zeichen" under it (js/writing-tools.js)."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**(attrs or {})}
        count_id = f"{attrs.get('id') or 'id_' + name}_count"
        attrs["aria-describedby"] = f"{attrs.get('aria-describedby', '')} {count_id}".strip()
        limit = self.attrs.get("maxlength", "")
        html = super().render(name, value, attrs, renderer)
        return render_to_string(
            "admin/articles/article/writing_counted.html",
            {"field": html, "count_id": count_id, "max": limit, "count": len(value or "")},
        )


class WritingToolsAdmin:
    """Mixed into ArticleAdmin: the fields, previews, picks and the picture lookup.

    ArticleAdmin.fieldsets places ``writing_fieldset``.
    """

    writing_fieldset = (
        _("Suchmaschinen und soziale Netzwerke"),
        {
            "fields": ["seo_title", "seo_description", "social_image", "search_preview"],
            "description": _(
                "Leer gelassen, erscheinen Überschrift, Vorspann und Aufmacherbild. "
                "Die Vorschau zeigt, wie Suchmaschinen und soziale Netzwerke sie kürzen."
            ),
        },
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "seo_title":
            kwargs["widget"] = CountedTextInput(attrs={"class": "vTextField"})
        elif db_field.name == "seo_description":
            kwargs["widget"] = CountedTextarea(attrs={"rows": 3, "class": "vLargeTextField"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    readonly_fields = ["search_preview"]

    def get_autocomplete_fields(self, request):
        return [*super().get_autocomplete_fields(request), "social_image"]

    @admin.display(description=_("Vorschau"))
    def search_preview(self, article):
        """What a search engine and a shared link would show, as the form stands
        (the host is the one the editor works on, filled in by the script)."""
        saved = article is not None and article.pk is not None
        picture = article.social_picture if saved else None
        return render_to_string(
            "admin/articles/article/writing_preview.html",
            {
                "path": article.get_absolute_url() if saved else "/artikel/…",
                "portal_name": settings.PORTAL_NAME,
                "title_length": SEARCH_TITLE_LENGTH,
                "description_length": SEARCH_DESCRIPTION_LENGTH,
                "picture": picture,
            },
        )

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), RelatedPickInline]

    @property
    def media(self):
        return super().media + forms.Media(js=["js/writing-tools.js"])

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "bild-karte/<int:pk>/",
                view(self.card_picture_view),
                name="articles_article_card_picture",
            ),
            *super().get_urls(),
        ]

    def card_picture_view(self, request, pk):
        """The picture of the card preview, for the one chosen in the form."""
        if not self.has_view_permission(request):
            raise Http404
        image = Image.objects.filter(pk=pk).first()
        if image is None:
            raise Http404
        return JsonResponse({"url": image.src, "alt": image.alt_text})
