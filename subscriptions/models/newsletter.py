"""Newsletter consents kept as proof (double opt-in), and the issues sent."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How long a newsletter confirmation link works.
CONSENT_LIFETIME = datetime.timedelta(days=7)


class NewsletterConsent(models.Model):
    """One sign-up for the newsletter, kept as proof of consent (double opt-in)."""

    email = models.EmailField(_("E-Mail"))
    wording = models.TextField(_("Eingewilligter Text"))
    requested_at = models.DateTimeField(_("Angefordert"), default=timezone.now)
    requested_from = models.GenericIPAddressField(_("Angefordert von (IP)"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("Bestätigt"), null=True, blank=True)
    confirmed_from = models.GenericIPAddressField(_("Bestätigt von (IP)"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("Abgemeldet"), null=True, blank=True)
    # The hash of the confirmation link's secret (the link itself is only in the mail).
    digest = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("Newsletter-Einwilligung")
        verbose_name_plural = _("Newsletter-Einwilligungen")
        indexes = [models.Index(fields=["email"], name="consent_email_idx")]

    def __str__(self):
        return self.email

    @property
    def is_active(self):
        return self.confirmed_at is not None and self.unsubscribed_at is None


class NewsletterIssue(models.Model):
    """A newsletter as sent to everyone who confirmed, each with their own unsubscribe link."""

    subject = models.CharField(_("Betreff"), max_length=200)
    body = models.TextField(_("Text"))
    created_at = models.DateTimeField(_("Angelegt"), auto_now_add=True)
    sent_at = models.DateTimeField(_("Versendet am"), null=True, blank=True, editable=False)
    # The sending task's progress: mails are written in batches in address
    # order; after a crash it goes on after the last address it wrote.
    queued_through = models.EmailField(blank=True, editable=False)
    recipients = models.PositiveIntegerField(_("Empfänger"), default=0, editable=False)
    queued_at = models.DateTimeField(
        _("Alle E-Mails geschrieben"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Newsletter-Ausgabe")
        verbose_name_plural = _("Newsletter-Ausgaben")

    def __str__(self):
        return self.subject
