"""The back office's picture library: upload, texts, focal point, renditions, where a
picture is used; the picker of the rich-text editor with its upload of several files."""

import re

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.forms import ImageForm
from articles.models import Image
from portal.lib.images import make_renditions, upload_limits


class ImageChangeForm(ImageForm):
    """A picture's page: its texts, and the focal point that crops keep in view."""

    class Meta(ImageForm.Meta):
        fields = [*ImageForm.Meta.fields, "focal_x", "focal_y"]
        help_texts = {
            "focal_x": gettext_lazy(
                "Klicken Sie im Bild auf das Wichtigste (ein Gesicht, ein Schild): "
                "Zuschnitte in Listen behalten diesen Punkt im Bild."
            ),
        }
        widgets = {
            "focal_x": forms.NumberInput(attrs={"min": 0, "max": 100, "data-focal": "x"}),
            "focal_y": forms.NumberInput(attrs={"min": 0, "max": 100, "data-focal": "y"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out (an older form, a script posting texts only), it stays as it was.
        for name in ("focal_x", "focal_y"):
            if name in self.fields:
                self.fields[name].required = False

    def clean_focal_x(self):
        return self._focal("focal_x")

    def clean_focal_y(self):
        return self._focal("focal_y")

    def _focal(self, name):
        value = self.cleaned_data.get(name)
        return getattr(self.instance, name) if value is None else value


def picture_json(image):
    """What the picker's page script needs of a picture it uploaded."""
    return {
        "id": image.pk,
        "url": image.src,
        "alt": image.alt_text,
        "caption": image.caption,
        "thumbnail": image.thumbnail_url,
        "label": str(image),
    }


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "__str__", "credit", "width", "height", "created_at"]
    search_fields = ["caption", "alt_text", "credit", "original_name"]
    readonly_fields = ["original_name"]
    date_hierarchy = "created_at"
    change_form_template = "admin/articles/image/change_form.html"

    class Media:
        js = ["js/picture-upload.js", "js/focal-point.js"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            kwargs["form"] = ImageChangeForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        fields = ["file", "alt_text", "caption", "credit"]
        if obj is not None:
            fields += ["focal_x", "focal_y", "original_name"]
        return fields

    def has_change_permission(self, request, obj=None):
        """A picture readers see changes only with the Chefredaktion's say: changing it
        would change published articles without a revision of theirs."""
        may_publish = request.user.has_perm("articles.publish_article")
        if obj is not None and not may_publish and obj.is_used_in_published_or_scheduled_article():
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        replaced = form.initial.get("file") if change else None
        super().save_model(request, obj, form, change)
        # A new focal point means new crops; a new file, new renditions of all kinds.
        if {"file", "focal_x", "focal_y"} & set(form.changed_data):
            obj.renew_renditions()
        if "file" in form.changed_data and replaced and replaced.name != obj.file.name:
            # The replaced file goes too (pages link only renditions): an address
            # someone saw in a preview stops working once the picture is replaced.
            name, storage = replaced.name, replaced.storage
            transaction.on_commit(lambda: storage.delete(name))

    def autocomplete_extra(self, image):
        """Beside the caption, the lead picture chooser shows a thumbnail (lead-picture.js)."""
        return {"thumbnail": image.thumbnail_url}

    def get_urls(self):
        picker = path(
            "auswahl/", self.admin_site.admin_view(self.picker_view), name="articles_image_picker"
        )
        return [picker, *super().get_urls()]

    def picker_view(self, request):
        """The picture picker of the rich-text editor: choose a picture or upload some.

        The editor opens it as a popup with ?CKEditorFuncNum=<n> and receives
        the chosen picture through that callback (static/js/image-picker.js).
        Its page script uploads each dropped file by itself (Accept: JSON) and
        shows the answer in the file's line; without the script, the form
        below posts one file and the page comes back with it.
        """
        if not self.has_view_permission(request):
            raise PermissionDenied
        callback = request.GET.get("CKEditorFuncNum", "")
        if not re.fullmatch(r"-?[0-9]{1,9}", callback):
            return HttpResponseBadRequest(_("Diese Seite öffnet der Texteditor."))
        form = ImageForm(request.POST or None, request.FILES or None)
        if request.method == "POST":
            if not self.has_add_permission(request):
                raise PermissionDenied
            wants_json = "application/json" in request.headers.get("Accept", "")
            if form.is_valid():
                image = form.save()
                make_renditions(image)
                self.log_addition(request, image, [{"added": {}}])
                if wants_json:
                    return JsonResponse({"ok": True, "image": picture_json(image)})
                return redirect(f"{request.path}?CKEditorFuncNum={callback}&neu={image.pk}")
            if wants_json:
                errors = {name: list(messages) for name, messages in form.errors.items()}
                return JsonResponse({"ok": False, "errors": errors}, status=400)
        query = request.GET.get("q", "").strip()[:100]
        images = Image.objects.order_by("-created_at")
        if query:
            images = images.filter(
                Q(caption__icontains=query)
                | Q(alt_text__icontains=query)
                | Q(credit__icontains=query)
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Bild auswählen"),
            "callback": callback,
            "query": query,
            "page": Paginator(images, 24).get_page(request.GET.get("page")),
            "form": form,
            "limits": upload_limits(),
            "can_add": self.has_add_permission(request),
            "new": request.GET.get("neu", ""),
        }
        return TemplateResponse(request, "admin/articles/image/picker.html", context)

    @admin.display(description=gettext_lazy("Vorschau"))
    def thumbnail(self, image):
        # The smallest rendition (3:2 around the focal point), not the original of
        # up to 10 MB; the alt text names the link to the picture for screen readers.
        return format_html(
            '<img src="{}" alt="{}" width="96" height="64" class="picture-thumb {}">',
            image.thumbnail_url,
            image.alt_text,
            image.focal_class,
        )


class LeadPictureSelect(AutocompleteSelect):
    """The lead picture's autocomplete, with thumbnails: in the results (the site's
    autocomplete answer carries them, see ImageAdmin.autocomplete_extra) and
    for the chosen picture, whose thumbnail comes with its option."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["class"] += " lead-picture-chooser"
        attrs["data-placeholder"] = _("Bild suchen: Bildunterschrift, Alternativtext, Nachweis")
        return attrs

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        chosen = [option for _name, options, _index in groups for option in options]
        values = [option["value"] for option in chosen if option["value"] not in ("", None)]
        if values:
            thumbnails = {
                str(image.pk): image.thumbnail_url
                for image in Image.objects.filter(pk__in=values).only("file", "renditions")
            }
            for option in chosen:
                thumbnail = thumbnails.get(str(option["value"]))
                if thumbnail:
                    option["attrs"]["data-thumbnail"] = thumbnail
        return groups

    @property
    def media(self):
        return super().media + forms.Media(js=["js/lead-picture.js"])
