"""Back office for the outbox: every mail as sent or waiting, and sending again."""

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from subscriptions import mail
from subscriptions.admin.access import LogsViews
from subscriptions.admin.readonly import ReadOnlyMixin
from subscriptions.models import OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(LogsViews, ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "purpose",
        "to",
        "subject",
        "state",
        "attempts",
        "sent_at",
        "error",
    ]
    list_filter = ["state", "purpose"]
    search_fields = ["=to", "subject"]
    date_hierarchy = "created_at"
    fields = [
        "purpose",
        "to",
        "subject",
        "state",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
        "headers",
        "body_text",
        "attachment_texts",
    ]
    readonly_fields = fields
    actions = ["send_again"]
    show_full_result_count = False

    @admin.display(description=_("Anhänge"))
    def attachment_texts(self, obj):
        """Each file as it was sent, folded: the contract terms a customer received."""
        return (
            format_html_join(
                "",
                '<details><summary>{}</summary><pre class="attachment">{}</pre></details>',
                ((a["filename"], a["content"]) for a in obj.attachments),
            )
            or "–"
        )

    @admin.display(description=_("Letzter Fehler"))
    def error(self, obj):
        return obj.last_error[:80]

    def has_send_permission(self, request):
        return request.user.has_perm("subscriptions.change_outgoingmail")

    @admin.action(description=_("Jetzt erneut senden"), permissions=["send"])
    def send_again(self, request, queryset):
        queued = mail.send_again(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d E-Mail wird jetzt versendet; lehnt der Mail-Server sie ab, "
                "wird es später erneut versucht. Der Zustand zeigt, wie es steht.",
                "%(count)d E-Mails werden jetzt versendet; was der Mail-Server ablehnt, "
                "wird später erneut versucht. Der Zustand zeigt, wie es steht.",
                queued,
            )
            % {"count": queued},
        )
