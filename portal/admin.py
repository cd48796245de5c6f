"""The legal pages (portal.models) in the back office, edited by the Chefredaktion."""

from django import forms
from django.contrib import admin
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget

from portal.lib.csp import NoncedMediaMixin
from portal.lib.text import TEXT_TOOLS, editor_with
from portal.models import LegalText, Publisher

# The text tools, and headings for the sections of a legal text.
LEGAL_EDITOR = editor_with("Heading", *TEXT_TOOLS)


class LegalTextForm(forms.ModelForm):
    body = ProseEditorFormField(
        label="Text",
        widget=AdminProseEditorWidget,
        config=LEGAL_EDITOR,
    )

    class Meta:
        model = LegalText
        fields = ["title", "body"]


@admin.register(Publisher)
class PublisherAdmin(admin.ModelAdmin):
    """One Impressum: it can be changed, not added twice or deleted."""

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Publisher.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LegalText)
class LegalTextAdmin(NoncedMediaMixin, admin.ModelAdmin):
    form = LegalTextForm
    list_display = ["title", "kind", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
