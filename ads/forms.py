"""Back-office forms: uploads are checked like the newsroom's pictures."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget

from ads.models import Creative, Vendor
from portal.lib.images import normalise_upload, validate_image_upload
from portal.lib.text import TEXT_TOOLS, editor_with

# What the description editor offers: the article editor's text tools, no
# headings or pictures (Vendor.save() keeps only DESCRIPTION_TAGS).
DESCRIPTION_EDITOR = editor_with(*TEXT_TOOLS)


def checked_picture(upload):
    """An uploaded picture refused with a reason, or returned upright and without EXIF."""
    if upload and not getattr(upload, "_committed", False):
        validate_image_upload(upload)
        upload = normalise_upload(upload)
    return upload


class VendorForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    description = ProseEditorFormField(
        label=_("Beschreibung"),
        required=False,
        widget=AdminProseEditorWidget,
        config=DESCRIPTION_EDITOR,
    )

    class Meta:
        model = Vendor
        fields = [
            "name", "slug", "logo", "description", "categories", "street", "postcode", "city",
            "country", "website", "email", "phone", "plus", "listed_from", "listed_until",
        ]  # fmt: skip

    def clean_logo(self):
        return checked_picture(self.cleaned_data.get("logo"))

    def clean_postcode(self):
        return (self.cleaned_data.get("postcode") or "").strip()


class CreativeForm(forms.ModelForm):
    target_url = forms.URLField(
        label=_("Ziel-Adresse"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Wohin ein Klick führt; gezählt wird er vorher bei uns."),
    )

    class Meta:
        model = Creative
        fields = ["slot", "image", "alt_text", "target_url", "active"]

    def clean_image(self):
        return checked_picture(self.cleaned_data.get("image"))
