"""The legal pages (portal.models), edited by the Chefredaktion, and the queue of tasks."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult, get_date_max

from portal.lib import tasks
from portal.lib.csp import NoncedMediaMixin
from portal.lib.text import TEXT_TOOLS, editor_with
from portal.models import LegalText, Publisher, Task

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


def _short(moment):
    """08.12.2026 00:44:02, in Berlin time; "–" for none."""
    return date_format(localtime(moment), "d.m.Y H:i:s") if moment else "–"


STATES = {
    "READY": _("Wartet"),
    "RUNNING": _("Läuft"),
    "FAILED": _("Fehlgeschlagen"),
    "SUCCESSFUL": _("Erledigt"),
}


class StateFilter(admin.SimpleListFilter):
    title = _("Zustand")
    parameter_name = "status__exact"

    def lookups(self, request, model_admin):
        return list(STATES.items())

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


class TaskFilter(admin.SimpleListFilter):
    title = _("Aufgabe")
    parameter_name = "task_path__exact"

    def lookups(self, request, model_admin):
        return sorted(tasks.NAMES.items(), key=lambda item: item[1])

    def queryset(self, request, queryset):
        return queryset.filter(task_path=self.value()) if self.value() else queryset


class TaskResultAdmin(DBTaskResultAdmin):
    """The queue of background work: waiting, running, failed, finished; failed ones again."""

    list_display = ["name", "state", "enqueued", "run_after_shown", "finished", "error"]
    list_display_links = ["name"]
    list_filter = [StateFilter, TaskFilter]
    actions = ["retry"]
    show_full_result_count = False

    @admin.display(description=_("Aufgabe"), ordering="task_path")
    def name(self, result):
        return tasks.NAMES.get(result.task_path, result.task_name)

    @admin.display(description=_("Zustand"), ordering="status")
    def state(self, result):
        return STATES.get(result.status, result.status)

    @admin.display(description=_("Eingereiht"), ordering="enqueued_at")
    def enqueued(self, result):
        return _short(result.enqueued_at)

    @admin.display(description=_("Frühestens"))
    def run_after_shown(self, result):
        return _short(result.run_after) if result.run_after != get_date_max() else "–"

    @admin.display(description=_("Beendet"), ordering="finished_at")
    def finished(self, result):
        return _short(result.finished_at)

    @admin.display(description=_("Fehler"))
    def error(self, result):
        return (result.traceback.strip().splitlines() or [""])[-1][:120]

    def has_retry_permission(self, request):
        return request.user.has_perm("portal.change_task")

    @admin.action(description=_("Erneut ausführen"), permissions=["retry"])
    def retry(self, request, queryset):
        with transaction.atomic():
            again = [tasks.retry(result.pk) for result in queryset.exclude(status="RUNNING")]
        self.message_user(
            request,
            ngettext(
                "%(count)d Aufgabe ist wieder eingereiht.",
                "%(count)d Aufgaben sind wieder eingereiht.",
                len(again),
            )
            % {"count": len(again)},
            messages.SUCCESS,
        )


# Listed once, under the portal, in German.
admin.site.unregister(DBTaskResult)
admin.site.register(Task, TaskResultAdmin)


# Second factors (portal.sites): each person sets theirs up at sign-in; nobody edits
# devices by hand (django-otp's own pages would, in English, and show the keys' seeds).
# A superuser resets a lost one from the user list; its owner sets up anew at the next sign-in.
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)


class PortalUserAdmin(UserAdmin):
    actions = ["reset_second_factor"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("reset_second_factor", None)
        return actions

    @admin.action(
        description=_("Zweiten Faktor zurücksetzen (bei der nächsten Anmeldung neu einrichten)")
    )
    def reset_second_factor(self, request, queryset):
        if not request.user.is_superuser:
            raise PermissionDenied
        with transaction.atomic():
            for user in queryset:
                TOTPDevice.objects.filter(user=user).delete()
                StaticDevice.objects.filter(user=user).delete()
                self.log_change(request, user, _("Zweiten Faktor zurückgesetzt."))
        self.message_user(
            request,
            ngettext(
                "Zweiter Faktor von %(count)d Person zurückgesetzt; sie richtet ihn bei der "
                "nächsten Anmeldung neu ein.",
                "Zweiter Faktor von %(count)d Personen zurückgesetzt; sie richten ihn bei der "
                "nächsten Anmeldung neu ein.",
                len(queryset),
            )
            % {"count": len(queryset)},
            messages.SUCCESS,
        )


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)
