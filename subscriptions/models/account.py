"""Single-use links for a subscriber's account: log in, confirm a new address."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subscriptions.models.contracts import Subscriber
from subscriptions.models.tokens import new_token, token_hash

# How long a login link or an e-mail confirmation link works.
LINK_LIFETIME = datetime.timedelta(minutes=30)


class LinkToken(models.Model):
    """A single-use link for a subscriber: log in, or confirm a new e-mail address."""

    class Purpose(models.TextChoices):
        LOGIN = "login", _("Anmelden")
        EMAIL = "email", _("E-Mail-Adresse bestätigen")

    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64, unique=True)
    new_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Link")
        verbose_name_plural = _("Links")

    def __str__(self):
        return f"{self.get_purpose_display()} {self.subscriber_id}"

    @classmethod
    def issue(cls, subscriber, purpose, new_email=""):
        """A new link's secret; the database keeps only its hash."""
        secret = new_token()
        cls.objects.create(
            purpose=purpose, subscriber=subscriber, digest=token_hash(secret), new_email=new_email
        )
        return secret

    @classmethod
    def valid(cls, secret, purpose):
        """The unused, unexpired link for this secret, or None."""
        return (
            cls.objects.select_related("subscriber")
            .filter(
                purpose=purpose,
                digest=token_hash(secret),
                used_at__isnull=True,
                created_at__gt=timezone.now() - LINK_LIFETIME,
            )
            .first()
        )

    @classmethod
    def redeem(cls, secret, purpose):
        """Use the link once: the link, or None if it is unknown, used or expired.

        One UPDATE decides, so two clicks at the same moment cannot both win.
        """
        link = cls.valid(secret, purpose)
        if link is None:
            return None
        won = cls.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=timezone.now())
        return link if won else None
