from django import forms
from django.contrib import admin
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag as TaggitTag

from articles.models import Article, ArticleLink, Image, Section, Tag

# We keep our own tag model (German slugs); taggit's generic one stays unused.
admin.site.unregister(TaggitTag)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    # The slug is made by Tag.slugify ("Ö" -> "oe", unlike the admin's JavaScript)
    # and stays as it is when the name changes, so tag addresses keep working.
    list_display = ["name", "slug"]
    search_fields = ["name"]
    readonly_fields = ["slug"]


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "__str__", "credit", "width", "height", "created_at"]
    search_fields = ["caption", "alt_text", "credit"]
    date_hierarchy = "created_at"

    @admin.display(description=_("Vorschau"))
    def thumbnail(self, image):
        return format_html('<img src="{}" alt="" width="80" style="height:auto">', image.file.url)


class ArticleLinkInline(admin.TabularInline):
    model = ArticleLink
    extra = 1
    fields = ["label", "url", "position"]
    # "www.smwa.sachsen.de" typed without a scheme becomes https://, not http://.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "section", "kind", "kicker", "headline", "slug", "teaser", "body", "lead_image",
            "tags", "status", "publish_at", "featured", "author", "byline",
        ]  # fmt: skip

    def clean_tags(self):
        """Refuse over-long Stichwörter here, before the database would."""
        tags = self.cleaned_data["tags"]
        limit = Tag._meta.get_field("name").max_length
        too_long = [name for name in tags if len(name) > limit]
        if too_long:
            raise forms.ValidationError(
                _("Ein Stichwort darf höchstens %(limit)d Zeichen lang sein: „%(tag)s…“")
                % {"limit": limit, "tag": too_long[0][:40]}
            )
        return tags


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = ["headline", "kicker", "section", "kind", "status", "publish_at", "byline"]
    list_filter = ["status", "section", "kind", "featured", "publish_at"]
    list_select_related = ["section"]
    search_fields = ["headline", "kicker", "teaser"]
    date_hierarchy = "publish_at"
    raw_id_fields = ["author", "lead_image"]
    inlines = [ArticleLinkInline]
    # Counting 200,000 rows twice per changelist page is wasted work.
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["section", "kind", "kicker", "headline", "slug", "teaser", "body"]}),
        (_("Bild und Stichwörter"), {"fields": ["lead_image", "tags"]}),
        (
            _("Veröffentlichung"),
            {"fields": ["status", "publish_at", "featured", "author", "byline"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("body")
