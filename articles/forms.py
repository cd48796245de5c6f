"""The back office's article and picture forms: tags in typed order, conflicts, uploads."""

import csv

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget
from taggit.forms import TagField, TagWidget

from articles.conflicts import fingerprint, settle
from articles.models import Article, Image, Tag
from articles.revisions import REVISED_FIELDS
from portal.lib.images import normalise_upload, upload_limits, validate_image_upload
from portal.lib.text import BODY_EDITOR


def parse_tags_in_order(text):
    """ "Sachsen, Politik, \"Bund, Länder\"" -> ["Sachsen", "Politik", "Bund, Länder"].

    Commas separate (quotes protect a comma inside a name), and unlike
    taggit's parser the order stays and a space never splits a name:
    "Öffentliche Verwaltung" is one Stichwort.
    """
    names, seen = [], set()
    for name in next(csv.reader([text or ""], skipinitialspace=True), []):
        name = " ".join(name.split())
        if name and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names


def tags_edit_string(names):
    """Tag names as parse_tags_in_order reads them back: commas between, and CSV
    quoting (inner quotes doubled) where a name holds a comma or a quote."""

    def quoted(name):
        if "," in name or '"' in name:
            return '"' + name.replace('"', '""') + '"'
        return name

    return ", ".join(quoted(name) for name in names)


class OrderedTagField(TagField):
    """taggit's tag field, reading tags in the order typed (parse_tags_in_order)."""

    def clean(self, value):
        return parse_tags_in_order(forms.CharField.clean(self, value))

    def has_changed(self, initial, data):
        names = [getattr(tag, "name", tag) for tag in initial or []]
        return parse_tags_in_order(data or "") != names


class OrderedTagWidget(TagWidget):
    """taggit's tag input, but listing the tags in the order given, not sorted."""

    def format_value(self, value):
        if value is not None and not isinstance(value, str):
            value = tags_edit_string(getattr(tag, "name", tag) for tag in value)
        return super().format_value(value)


def editorial_staff(*keep):
    """Who may be named as an article's author: active staff who may write articles
    through a group or a permission of their own, and the users ``keep`` (the one
    writing, the article's author even after they left) so a save never fails on them.

    Superusers outside the newsroom are not listed to everyone: their accounts
    are none of the newsroom's business.
    """
    writes = Permission.objects.filter(content_type__app_label="articles", codename="add_article")
    may_write = Q(is_active=True, is_staff=True) & (
        Q(groups__permissions__in=writes) | Q(user_permissions__in=writes)
    )
    return (
        get_user_model()
        .objects.filter(may_write | Q(pk__in=[pk for pk in keep if pk]))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class AuthorField(forms.ModelChoiceField):
    """The author, chosen from a list of the newsroom by name.

    A plain list served by the article form itself: choosing an author needs
    no access to the user directory (auth.view_user), which shows everyone's
    e-mail address, rights and last login.
    """

    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class CountedTextInput(forms.TextInput):
    """A text input with "27 von 200 Zeichen" under it, kept current by js/char-count.js."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**(attrs or {})}
        count_id = f"{attrs.get('id') or 'id_' + name}_count"
        described = attrs.get("aria-describedby", "")
        attrs["aria-describedby"] = f"{described} {count_id}".strip()
        limit = self.attrs.get("maxlength", "")
        html = super().render(name, value, attrs, renderer)
        return format_html(
            '<div class="char-counted">{}'
            '<div class="char-count" id="{}" data-max="{}">{}</div></div>',
            html,
            count_id,
            limit,
            _("%(count)d von %(max)s Zeichen") % {"count": len(value or ""), "max": limit},
        )


class MinuteTimeWidget(AdminSplitDateTime):
    """Date and time of publication to the minute: "10:30", and "Jetzt" sets no seconds
    (js/publish-time.js)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets[1].format = "%H:%M"
        self.widgets[1].attrs["data-minutes"] = "1"


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
                # The link dialog searches our articles (articles/admin/link_search.py).
                "Link": {
                    **BODY_EDITOR["extensions"]["Link"],
                    "searchUrl": reverse_lazy("admin:articles_article_link_search"),
                },
            }
        },
    )

    # The version the editor started from; a different one in the database
    # means someone saved meanwhile (see clean()).
    loaded_version = forms.IntegerField(
        label=gettext_lazy("Geladene Version"), widget=forms.HiddenInput, required=False
    )
    # Each field as it was then, so a conflict shows who changed what (articles.conflicts).
    loaded_fields = forms.CharField(widget=forms.HiddenInput, required=False)
    # Not a change of the article: the revision's note lists what was changed.
    loaded_fields.has_changed = lambda initial, data: False

    class Meta:
        model = Article
        # What revisions keep, but the links (the admin edits them in an inline),
        # and the IT-Guide vendors, which revisions do not keep.
        fields = [name for name in REVISED_FIELDS if name != "links"] + ["vendors"]
        field_classes = {"tags": OrderedTagField, "author": AuthorField}
        widgets = {
            "headline": CountedTextInput(attrs={"class": "vTextField desk-headline-input"}),
            "kicker": CountedTextInput(attrs={"class": "vTextField"}),
            "publish_at": MinuteTimeWidget,
            "tags": OrderedTagWidget(
                attrs={
                    "data-autocomplete-url": reverse_lazy("admin:autocomplete"),
                    "autocomplete": "off",
                    "size": 60,
                }
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if "author" in self.fields:
            writer = self.user.pk if self.user is not None else None
            self.fields["author"].queryset = editorial_staff(self.instance.author_id, writer)
        if self.instance.pk:
            self.initial["loaded_version"] = self.instance.version
            self.initial["loaded_fields"] = fingerprint(self.instance)
            # In the editor's order, which taggit would sort away (see OrderedTagWidget).
            self.initial["tags"] = self.instance.ordered_tags
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

    def clean_publish_at(self):
        """Publication times are to the minute, as the list and the calendar show them."""
        moment = self.cleaned_data.get("publish_at")
        return moment.replace(second=0, microsecond=0) if moment else moment

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self.check_for_conflict(cleaned)
        return cleaned

    def check_for_conflict(self, cleaned):
        """Refuse to overwrite a version saved after this form was opened: the editor
        keeps their text, sees each field that differs, and chooses per field."""
        settle(self, cleaned)

    def posted_links(self):
        """The further-information links as posted with this form (the inline's rows)."""
        try:
            total = int(self.data.get("links-TOTAL_FORMS", 0))
        except (TypeError, ValueError):
            return []
        links = []
        for n in range(min(total, 1000)):
            label = self.data.get(f"links-{n}-label", "").strip()
            url = self.data.get(f"links-{n}-url", "").strip()
            if (label or url) and not self.data.get(f"links-{n}-DELETE"):
                links.append([label, url])
        return links

    def clean_tags(self):
        """The Stichwörter in the order typed; over-long ones refused before the database would."""
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The server's limits, for the browser to check before the upload starts
        # (js/picture-upload.js); the server checks again in clean_file.
        if "file" not in self.fields:  # read only, for those who may not change it
            return
        limits = upload_limits()
        self.fields["file"].widget.attrs.update(
            {"accept": limits["types"], "data-max-bytes": limits["max_bytes"]}
        )
        self.fields["file"].help_text = _(
            "JPEG, PNG oder WebP, höchstens %(max)s und 40 Megapixel."
        ) % {"max": limits["max_label"]}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and not getattr(upload, "_committed", False):
            validate_image_upload(upload)
            # Kept for editors only; the file is stored under a random name.
            self.instance.original_name = (upload.name or "")[:255]
            upload = normalise_upload(upload)
        return upload
