"""The back office's picture library: upload, texts, renditions, where a picture is used."""

import re

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.forms import ImageForm
from articles.models import Image
from portal.lib.images import make_renditions


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "__str__", "credit", "width", "height", "created_at"]
    search_fields = ["caption", "alt_text", "credit", "original_name"]
    readonly_fields = ["original_name"]
    date_hierarchy = "created_at"

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
        if "file" in form.changed_data:
            obj.renew_renditions()
            if replaced and replaced.name != obj.file.name:
                # The replaced file goes too (pages link only renditions): an address
                # someone saw in a preview stops working once the picture is replaced.
                name, storage = replaced.name, replaced.storage
                transaction.on_commit(lambda: storage.delete(name))

    def get_urls(self):
        picker = path(
            "auswahl/", self.admin_site.admin_view(self.picker_view), name="articles_image_picker"
        )
        return [picker, *super().get_urls()]

    def picker_view(self, request):
        """The picture picker of the rich-text editor: choose a picture or upload one.

        The editor opens it as a popup with ?CKEditorFuncNum=<n> and receives
        the chosen picture through that callback (static/js/image-picker.js).
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
            if form.is_valid():
                image = form.save()
                make_renditions(image)
                self.log_addition(request, image, [{"added": {}}])
                return redirect(f"{request.path}?CKEditorFuncNum={callback}&neu={image.pk}")
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
            "can_add": self.has_add_permission(request),
            "new": request.GET.get("neu", ""),
        }
        return TemplateResponse(request, "admin/articles/image/picker.html", context)

    @admin.display(description=_("Vorschau"))
    def thumbnail(self, image):
        # The smallest rendition, not the original of up to 10 MB; the alt text
        # names the link to the picture for screen readers.
        return format_html(
            '<img src="{}" alt="{}" width="80" style="height:auto">',
            image.thumbnail_url,
            image.alt_text,
        )
