"""Orders as typed, waiting for their e-mail address to confirm them; addresses staff decide on."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subscriptions.models.contracts import POSTCODE, Plan, Subscriber, Subscription

# How long the link in the mail confirms an order.
ORDER_LINK_LIFETIME = datetime.timedelta(days=7)

# The fields of a postal address, as the order form, a customer and a change request have them.
ADDRESS_FIELDS = ("name", "organisation", "street", "postcode", "city")


def address_line(record):
    """A customer's, an order's or a change request's address on one line."""
    who = ", ".join(part for part in (record.name, record.organisation) if part)
    return f"{who}, {record.street}, {record.postcode} {record.city}"


class PostalAddress(models.Model):
    """Where copies go: who, for which organisation, and where."""

    name = models.CharField(_("Name"), max_length=150)
    organisation = models.CharField(_("Organisation"), max_length=150, blank=True)
    street = models.CharField(_("Straße und Hausnummer"), max_length=150)
    postcode = models.CharField(_("PLZ"), max_length=5, validators=[POSTCODE])
    city = models.CharField(_("Ort"), max_length=100)

    class Meta:
        abstract = True

    def address(self):
        return {field: getattr(self, field) for field in ADDRESS_FIELDS}

    @property
    def address_line(self):
        return address_line(self)


class Order(PostalAddress):
    """An order as typed on the form; it makes a contract only once its mailbox confirms it.

    Anyone can type anyone's e-mail address, so nothing about a customer is
    created or changed until the link mailed to that address is used
    (subscriptions.orders.confirm). Unconfirmed orders stay here, for staff
    and as proof of what was typed.
    """

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="orders", verbose_name=_("Angebot")
    )
    email = models.EmailField(_("E-Mail"))
    received_at = models.DateTimeField(_("Eingegangen"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("Bestätigt"), null=True, blank=True)
    subscription = models.OneToOneField(
        Subscription,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="order",
        verbose_name=_("Vertrag"),
    )
    # The form's one-time key: an order sent twice is one order (and one mail).
    submission = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("Bestellung")
        verbose_name_plural = _("Bestellungen")
        indexes = [
            models.Index(fields=["-received_at"], name="order_received_idx"),
            models.Index(fields=["email"], name="order_email_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(confirmed_at__isnull=True, subscription__isnull=True)
                | models.Q(confirmed_at__isnull=False, subscription__isnull=False),
                name="order_confirmed_has_contract",
            ),
        ]

    def __str__(self):
        received = timezone.localtime(self.received_at)
        return f"{self.plan} – {self.email}, {received:%d.%m.%Y %H:%M}"

    @property
    def confirmed(self):
        return self.confirmed_at is not None


class AddressChange(PostalAddress):
    """An address from a confirmed order that differs from the customer's: staff decide.

    An order never changes an address on file: delivery somewhere else is
    for staff to check (subscriptions.orders.decide).
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Offen")
        ACCEPTED = "accepted", _("Übernommen")
        REJECTED = "rejected", _("Abgelehnt")

    subscriber = models.ForeignKey(
        Subscriber,
        on_delete=models.PROTECT,
        related_name="address_changes",
        verbose_name=_("Abonnent"),
    )
    order = models.OneToOneField(
        Order,
        on_delete=models.PROTECT,
        related_name="address_change",
        verbose_name=_("Bestellung"),
    )
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("Eingegangen"), default=timezone.now)
    decided_at = models.DateTimeField(_("Entschieden am"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Entschieden von"),
    )
    # The address it replaced, once accepted: the record says what was there before.
    previous = models.TextField(_("Bisherige Anschrift"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Adressänderung")
        verbose_name_plural = _("Adressänderungen aus Bestellungen")
        indexes = [
            models.Index(
                fields=["-created_at"],
                name="address_change_open_idx",
                condition=models.Q(status="open"),
            ),
        ]

    def __str__(self):
        return f"{self.subscriber}: {self.address_line}"
