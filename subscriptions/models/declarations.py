"""Cancellations and withdrawals as declared, and what each did to a contract."""

from django.conf import settings
from django.core import signing
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subscriptions.models.contracts import ANONYMISED, Subscriber, Subscription
from subscriptions.models.outbox import OutgoingMail
from subscriptions.models.tokens import new_token

# What anonymising a declaration writes once its period is over
# (subscriptions.retention): the only change to its columns the database's
# trigger allows (migration 0013), all of them at once and nothing else.
RECEIPT_SALT = "subscriptions.declarations.receipt"

ANONYMISED_DECLARATION = {
    "name": ANONYMISED,
    "identifier": "",
    "contract": "",
    "email": "",
    "reason": "",
}


class Declaration(models.Model):
    """A cancellation or withdrawal as the person declared it: kept for good, never changed.

    The columns of the declaration itself cannot be changed or the row
    deleted (database trigger, migrations 0002, 0006 and 0013), except that
    its personal columns are anonymised once its period is over; staff can only
    match an unmatched one to contracts, which adds Effects. The subscriber
    on file can say "das war ich nicht" (``disputed_at``), once.
    """

    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("Ordentliche Kündigung")
        EXTRAORDINARY = "extraordinary", _("Außerordentliche Kündigung")
        WITHDRAWAL = "withdrawal", _("Widerruf")

    kind = models.CharField(_("Art"), max_length=14, choices=Kind.choices)
    reason = models.TextField(_("Grund"), blank=True)
    name = models.CharField(_("Name"), max_length=150)
    identifier = models.CharField(_("Kundennummer oder E-Mail"), max_length=254)
    contract = models.CharField(_("Vertrag"), max_length=200)
    requested_end = models.DateField(_("Gewünschtes Ende"), null=True, blank=True)
    email = models.EmailField(_("E-Mail für die Bestätigung"))
    received_at = models.DateTimeField(_("Eingegangen"), default=timezone.now)
    # No secret: the receipt's link is signed (receipt_token), never stored. For
    # declarations made before migration 0015 the SHA-256 of the link they were
    # sent, so those links still work; for later ones a random value that is no link.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    # The form's one-time key, so a second click on "jetzt kündigen" finds the first declaration.
    submission = models.CharField(max_length=64, unique=True, editable=False)
    subscriber = models.ForeignKey(
        Subscriber,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="declarations",
        verbose_name=_("Abonnent"),
    )
    confirmation = models.ForeignKey(
        OutgoingMail,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Bestätigung"),
    )
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Zugeordnet von"),
    )
    matched_at = models.DateTimeField(_("Zugeordnet am"), null=True, blank=True)
    # A subscriber told of the declaration answered "das war ich nicht":
    # staff look at once (admin filter and marker) whether someone else
    # ended their contract. For an unmatched declaration, the one it named.
    disputed_at = models.DateTimeField(_("„Das war ich nicht“ am"), null=True, blank=True)
    disputed_by = models.ForeignKey(
        Subscriber,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("„Das war ich nicht“ von"),
    )

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("Erklärung")
        verbose_name_plural = _("Kündigungen und Widerrufe")
        indexes = [
            models.Index(fields=["-received_at"], name="declaration_received_idx"),
            models.Index(
                fields=["-disputed_at"],
                name="declaration_disputed_idx",
                condition=Q(disputed_at__isnull=False),
            ),
        ]

    def __str__(self):
        received = timezone.localtime(self.received_at)
        return f"{self.get_kind_display()} {self.name}, {received:%d.%m.%Y %H:%M:%S}"

    def get_absolute_url(self):
        return reverse("subscriptions:receipt", args=[self.receipt_token])

    @property
    def receipt_token(self):
        """What the receipt's link carries: the declaration's number, signed; made, not stored."""
        return signing.Signer(salt=RECEIPT_SALT).sign(str(self.pk))

    @property
    def unmatched(self):
        return self.subscriber_id is None

    @property
    def received_on(self):
        return timezone.localdate(self.received_at)


class Effect(models.Model):
    """What a declaration did to one contract: when it ends, and why."""

    class Outcome(models.TextChoices):
        ENDS = "ends", _("Endet")
        ALREADY = "already", _("War schon gekündigt")
        # It had ended before the declaration arrived (its term ran out, or
        # an earlier cancellation took effect): the end stays as it was.
        ENDED = "ended", _("War schon beendet")
        WITHDRAWN = "withdrawn", _("Widerrufen")
        TOO_LATE = "too_late", _("Widerrufsfrist abgelaufen")
        # A withdrawal of a contract that has no right to it, or had it used already.
        NO_RIGHT = "no_right", _("Kein Widerrufsrecht (nicht online geschlossen)")
        WITHDRAWN_BEFORE = "withdrawn_before", _("War schon widerrufen")

    declaration = models.ForeignKey(
        Declaration, on_delete=models.PROTECT, related_name="effects", verbose_name=_("Erklärung")
    )
    subscription = models.ForeignKey(
        Subscription,
        on_delete=models.PROTECT,
        related_name="effects",
        verbose_name=_("Abonnement"),
    )
    outcome = models.CharField(_("Ergebnis"), max_length=20, choices=Outcome.choices)
    ends_on = models.DateField(_("Vertragsende"), null=True, blank=True)
    created_at = models.DateTimeField(_("Angelegt"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("Wirkung")
        verbose_name_plural = _("Wirkungen")
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "subscription"], name="one_effect_per_contract"
            ),
        ]

    def __str__(self):
        return f"{self.subscription}: {self.get_outcome_display()}"
