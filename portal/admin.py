"""The legal pages (portal.models), edited by the Chefredaktion, and the queue of tasks."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

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


class TaskResultAdmin(DBTaskResultAdmin):
    """The queue of background work: waiting, running, failed, finished; failed ones again."""

    list_display = [
        "task_name", "status", "enqueued_at", "run_after_shown", "started_at", "finished_at",
        "error",
    ]  # fmt: skip
    list_filter = ["status", "task_path"]
    search_fields = ["task_path"]
    actions = ["retry"]
    show_full_result_count = False

    @admin.display(description=_("Frühestens"))
    def run_after_shown(self, result):
        return self.display_run_after(result)

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
