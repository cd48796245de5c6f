"""Back office for the newsletter: proof of each consent, and issues sent to all who confirmed."""

from django.contrib import admin, messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subscriptions import newsletter
from subscriptions.admin.access import LogsViews, logged
from subscriptions.admin.readonly import ReadOnlyMixin
from subscriptions.models import AccessLog, NewsletterConsent, NewsletterIssue, OutgoingMail


@admin.register(NewsletterConsent)
class NewsletterConsentAdmin(LogsViews, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["email", "requested_at", "confirmed_at", "unsubscribed_at"]
    list_filter = [
        ("confirmed_at", admin.EmptyFieldListFilter),
        ("unsubscribed_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["=email"]
    fields = [
        "email",
        "wording",
        "requested_at",
        "requested_from",
        "confirmed_at",
        "confirmed_from",
        "unsubscribed_at",
    ]
    readonly_fields = fields
    change_form_template = "admin/subscriptions/newsletterconsent/change_form.html"
    show_full_result_count = False

    def get_urls(self):
        view = self.admin_site.admin_view(self.proof_view)
        return [
            path("<int:pk>/nachweis/", view, name="subscriptions_newsletterconsent_proof"),
            *super().get_urls(),
        ]

    def proof_view(self, request, pk):
        """The proof of consent as a page to print: who, what wording, when, from where."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        consent = get_object_or_404(NewsletterConsent, pk=pk)
        logged(request, AccessLog.Action.VIEW, consent)
        return TemplateResponse(
            request,
            "admin/subscriptions/newsletterconsent/proof.html",
            {
                "consent": consent,
                "now": timezone.now(),
            },
        )


@admin.register(NewsletterIssue)
class NewsletterIssueAdmin(admin.ModelAdmin):
    list_display = ["subject", "created_at", "sent_at", "progress"]
    readonly_fields = ["sent_at", "progress"]
    actions = ["send"]

    def get_queryset(self, request):
        mails = OutgoingMail.State
        return (
            super()
            .get_queryset(request)
            .annotate(
                mails_sent=Count("mails", filter=Q(mails__state=mails.SENT)),
                mails_failed=Count("mails", filter=Q(mails__state=mails.FAILED)),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.sent_at:
            return ["subject", "body", "sent_at", "progress"]
        return self.readonly_fields

    @admin.display(description=_("Versand"))
    def progress(self, issue):
        if not issue.sent_at:
            return "–"
        text = _("%(sent)s von %(count)s versendet") % {
            "sent": intcomma(issue.mails_sent),
            "count": intcomma(issue.recipients) + ("" if issue.queued_at else "+"),
        }
        if issue.mails_failed:
            text += _(", %(failed)s fehlgeschlagen") % {"failed": intcomma(issue.mails_failed)}
        return text

    @admin.action(description=_("An alle bestätigten Empfänger senden"), permissions=["change"])
    def send(self, request, queryset):
        base = request.build_absolute_uri("/")
        for issue in queryset:
            if newsletter.send_issue(issue, base):
                self.message_user(
                    request,
                    _(
                        "„%(subject)s“ geht an %(count)s Empfänger. Der Mail-Versand "
                        "schickt die E-Mails in den nächsten Minuten; die Spalte „Versand“ "
                        "zeigt, wie weit er ist."
                    )
                    % {
                        "subject": issue.subject,
                        "count": intcomma(newsletter.subscribed().count()),
                    },
                )
            else:
                self.message_user(
                    request,
                    _("„%(subject)s“ war schon versendet.") % {"subject": issue.subject},
                    messages.WARNING,
                )
