from django.contrib import admin, messages
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag as TaggitTag

from articles.forms import ArticleForm, ImageForm
from articles.images import make_renditions
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
    form = ImageForm
    list_display = ["thumbnail", "__str__", "credit", "width", "height", "created_at"]
    search_fields = ["caption", "alt_text", "credit"]
    date_hierarchy = "created_at"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "file" in form.changed_data:
            make_renditions(obj)

    @admin.display(description=_("Vorschau"))
    def thumbnail(self, image):
        return format_html('<img src="{}" alt="" width="80" style="height:auto">', image.file.url)


class ArticleLinkInline(admin.TabularInline):
    model = ArticleLink
    extra = 1
    fields = ["label", "url", "position"]
    # "www.smwa.sachsen.de" typed without a scheme becomes https://, not http://.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


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

    actions = ["publish_selected", "unpublish_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("body")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def has_change_permission(self, request, obj=None):
        """A published article is live: only those who may publish may change it."""
        live = obj is not None and obj.status == Article.Status.PUBLISHED
        if live and not self.has_publish_permission(request):
            return False
        return super().has_change_permission(request, obj)

    @admin.action(description=_("Ausgewählte Artikel veröffentlichen"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._change_status(request, queryset, Article.publish, _("%(n)d Artikel veröffentlicht."))

    @admin.action(description=_("Ausgewählte Artikel zurückziehen"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._change_status(
            request, queryset, Article.unpublish, _("%(n)d Artikel zurückgezogen.")
        )

    def _change_status(self, request, queryset, change, message):
        articles = list(queryset)
        for article in articles:
            change(article)
            article.save()
        self.message_user(request, message % {"n": len(articles)}, messages.SUCCESS)
