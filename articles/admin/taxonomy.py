"""The back office of sections and Stichwörter (our own tag model, not taggit's)."""

from django.contrib import admin
from django.db.models import Case, When
from taggit.models import Tag as TaggitTag

from articles.models import Section, Tag

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

    def get_search_results(self, request, queryset, search_term):
        """Names that start with what was typed come first (for the autocomplete)."""
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            starts = Case(When(name__istartswith=search_term, then=0), default=1)
            queryset = queryset.annotate(starts=starts).order_by("starts", "name")
        return queryset, duplicates
