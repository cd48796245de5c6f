"""The outbox: every e-mail as written, sent or still to be sent."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingMail(models.Model):
    """An e-mail as we sent it or will send it: written first, delivered after the commit.

    A task of the worker (subscriptions.mail.deliver_mail) sends it; a failed
    delivery stays here, visible in the admin, and is tried again later. A held mail (written for a
    form sent beyond its rate limit) waits until staff release it: the
    outbox's "Jetzt erneut senden" or manage.py release_held_mail.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Wartet")
        HELD = "held", _("Zurückgehalten")
        SENT = "sent", _("Versendet")
        FAILED = "failed", _("Fehlgeschlagen")

    purpose = models.CharField(_("Anlass"), max_length=40)
    to = models.EmailField(_("An"))
    subject = models.CharField(_("Betreff"), max_length=200)
    body_text = models.TextField(_("Text"))
    body_html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("Kopfzeilen"), default=dict, blank=True)
    # Files sent with it, as sent: [{"filename", "mimetype", "content"}], text only
    # (the contract terms of an order, subscriptions.documents).
    attachments = models.JSONField(_("Anhänge"), default=list, blank=True)
    # The links with a secret, as recipes without one: {slot: {"kind", ids, "base"}}.
    # The bodies and headers hold subscriptions.mail.placeholder(slot) where
    # each goes; it is minted when the mail is sent, and kept nowhere.
    links = models.JSONField(_("Links (beim Versand eingesetzt)"), default=dict, blank=True)
    state = models.CharField(
        _("Zustand"), max_length=10, choices=State.choices, default=State.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    next_attempt_at = models.DateTimeField(_("Nächster Versuch"), default=timezone.now)
    last_error = models.TextField(_("Letzter Fehler"), blank=True)
    created_at = models.DateTimeField(_("Angelegt"), auto_now_add=True)
    sent_at = models.DateTimeField(_("Versendet am"), null=True, blank=True)
    # A newsletter's mail: at most one per issue and address, however often its sending resumes.
    issue = models.ForeignKey(
        "subscriptions.NewsletterIssue",
        verbose_name=_("Newsletter-Ausgabe"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mails",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("E-Mail")
        verbose_name_plural = _("E-Mails")
        constraints = [
            models.UniqueConstraint(fields=["issue", "to"], name="one_mail_per_issue_and_address"),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], name="mail_due_idx", condition=Q(state="queued")
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.to}"
