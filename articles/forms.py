from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget

from articles.images import normalise_upload, validate_image_upload
from articles.models import Article, Image, Tag
from articles.text import BODY_EDITOR


class ArticleForm(forms.ModelForm):
    """The article form of the back office; ArticleAdmin sets ``user`` per request."""

    user = None

    body = ProseEditorFormField(
        label=gettext_lazy("Text"),
        required=False,
        widget=AdminProseEditorWidget,
        config={
            "extensions": {
                **BODY_EDITOR["extensions"],
                # "Durchsuchen..." in the picture dialog opens our picker.
                "Figure": {"pickerUrl": reverse_lazy("admin:articles_image_picker")},
            }
        },
    )

    class Meta:
        model = Article
        fields = [
            "section", "kind", "kicker", "headline", "slug", "teaser", "body", "lead_image",
            "tags", "status", "publish_at", "featured", "author", "byline",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields and not self.can_publish():
            # Offer only what this editor may choose; clean_status enforces it.
            self.fields["status"].widget.choices = [
                (value, label)
                for value, label in Article.Status.choices
                if value not in Article.PUBLISHING_STATUSES or value == self.instance.status
            ]

    def can_publish(self):
        return self.user is not None and self.user.has_perm("articles.publish_article")

    def clean_status(self):
        """Publishing and taking back is for the Chefredaktion, whatever the POST says."""
        status = self.cleaned_data["status"]
        changed = status != self.instance.status or self.instance.pk is None
        if status in Article.PUBLISHING_STATUSES and changed and not self.can_publish():
            raise forms.ValidationError(
                _(
                    "Veröffentlichen und Zurückziehen darf nur die Chefredaktion. "
                    "Reichen Sie den Artikel zur Prüfung ein."
                ),
                code="not_allowed",
            )
        return status

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


class ImageForm(forms.ModelForm):
    """Upload of a picture: checked, turned upright and stripped of EXIF before it is stored."""

    class Meta:
        model = Image
        fields = ["file", "alt_text", "caption", "credit"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and not getattr(upload, "_committed", False):
            validate_image_upload(upload)
            upload = normalise_upload(upload)
        return upload
