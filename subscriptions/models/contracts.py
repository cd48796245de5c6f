"""Offers, subscribers and their contracts, each with the terms as agreed."""

import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subscriptions import terms

POSTCODE = RegexValidator(r"^[0-9]{4,5}$", _("Bitte eine PLZ aus 4 oder 5 Ziffern angeben."))

# What stands for a name once it was anonymised (subscribers, orders, declarations).
ANONYMISED = "[anonymisiert]"
# Where an erased e-mail address pointed: never deliverable (RFC 2606), unique per customer.
ERASED_EMAIL_DOMAIN = "anonymisiert.invalid"


class Plan(models.Model):
    """What can be subscribed to, on which terms."""

    class Kind(models.TextChoices):
        PRINT = "print", _("Print")
        DIGITAL = "digital", _("Digital")
        COMBINED = "kombi", _("Print und Digital")

    name = models.CharField(_("Name"), max_length=100, unique=True)
    slug = models.SlugField(_("Kurzname"), max_length=100, unique=True)
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices)
    description = models.TextField(_("Beschreibung"), blank=True)
    price = models.DecimalField(
        _("Preis (EUR)"),
        max_digits=8,
        decimal_places=2,
        help_text=_("Gesamtpreis je Abrechnungszeitraum, einschließlich Umsatzsteuer."),
    )
    # What the order page, the AGB and the mails must say about the price
    # (PAngV §§ 3, 6; § 312j Abs. 1 BGB): subscriptions.conditions words it.
    vat_rate = models.DecimalField(
        _("Umsatzsteuersatz (%)"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("7.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Im Preis enthalten; Zeitschriften und E-Paper: 7 % (§ 12 Abs. 2 UStG)."),
    )
    shipping = models.DecimalField(
        _("Versandkosten je Abrechnungszeitraum (EUR)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(0)],
        help_text=_(
            "Zusätzlich zum Preis, für die Lieferung per Post innerhalb Deutschlands; "
            "0: im Preis enthalten. Nur für Print und Kombi."
        ),
    )
    payment_methods = models.CharField(
        _("Zahlungsarten"),
        max_length=200,
        default="Rechnung (Überweisung)",
        help_text=_("Wie bezahlt werden kann, so wie es auf der Bestellseite stehen soll."),
    )
    billing_months = models.PositiveSmallIntegerField(_("Abrechnung alle … Monate"), default=12)
    minimum_term_months = models.PositiveSmallIntegerField(
        _("Mindestlaufzeit (Monate)"),
        default=12,
        validators=[MaxValueValidator(24)],
        help_text=_("Höchstens 24 Monate (§ 309 Nr. 9 BGB); 0: keine."),
    )
    notice_months = models.PositiveSmallIntegerField(
        _("Kündigungsfrist (Monate)"),
        default=1,
        validators=[MaxValueValidator(1)],
        help_text=_("Höchstens ein Monat zum Ende der Mindestlaufzeit (§ 309 Nr. 9 BGB)."),
    )
    renews = models.BooleanField(
        _("Verlängert sich"),
        default=True,
        help_text=_(
            "Nach der Mindestlaufzeit auf unbestimmte Zeit, dann jederzeit mit einem Monat "
            "Frist kündbar. Ohne Haken endet das Abonnement mit der Mindestlaufzeit."
        ),
    )
    orderable = models.BooleanField(_("Bestellbar"), default=True)
    position = models.PositiveSmallIntegerField(_("Position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("Angebot")
        verbose_name_plural = _("Angebote")

    def __str__(self):
        return self.name

    @property
    def delivered_by_post(self):
        return self.kind in (self.Kind.PRINT, self.Kind.COMBINED)

    def clean(self):
        # What the order page says must be what terms.py does: without a
        # minimum term a contract runs on, whatever "Verlängert sich" says.
        if not self.renews and not self.minimum_term_months:
            raise ValidationError(
                {
                    "renews": _(
                        "Ein Angebot, das sich nicht verlängert, braucht eine Laufzeit: "
                        "bitte eine Mindestlaufzeit angeben."
                    )
                }
            )
        if self.shipping and not self.delivered_by_post:
            raise ValidationError(
                {"shipping": _("Digitale Angebote werden nicht verschickt: bitte 0 angeben.")}
            )


class Subscriber(models.Model):
    """A customer: who receives what, where."""

    customer_number = models.CharField(
        _("Kundennummer"), max_length=20, unique=True, editable=False
    )
    name = models.CharField(_("Name"), max_length=150)
    organisation = models.CharField(_("Organisation"), max_length=150, blank=True)
    email = models.EmailField(_("E-Mail"), unique=True)
    street = models.CharField(_("Straße und Hausnummer"), max_length=150)
    postcode = models.CharField(_("PLZ"), max_length=5, validators=[POSTCODE])
    city = models.CharField(_("Ort"), max_length=100)
    created_at = models.DateTimeField(_("Angelegt"), auto_now_add=True)
    # Art. 17 GDPR and the retention rules (subscriptions.erasure): first the
    # contact data goes (e-mail address, links), later name and address.
    contact_erased_at = models.DateTimeField(
        _("E-Mail-Adresse gelöscht am"), null=True, blank=True, editable=False
    )
    anonymised_at = models.DateTimeField(
        _("Anonymisiert am"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("Abonnent")
        verbose_name_plural = _("Abonnenten")
        indexes = [models.Index(fields=["name"], name="subscriber_name_idx")]
        permissions = [
            ("erase_subscriber", _("Kann personenbezogene Daten löschen (Art. 17 DSGVO)")),
            ("disclose_subscriber", _("Datenauskunft erteilen (Art. 15 DSGVO)")),
        ]

    def __str__(self):
        return f"{self.name} ({self.customer_number})"

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        if not self.customer_number:
            self.customer_number = f"K-{secrets.randbelow(900000) + 100000}"
            while Subscriber.objects.filter(customer_number=self.customer_number).exists():
                self.customer_number = f"K-{secrets.randbelow(900000) + 100000}"
        super().save(*args, **kwargs)


class Subscription(models.Model):
    """One contract: a plan for a subscriber, with the terms as they were agreed.

    The terms are copied from the plan when the contract is made, so a later
    change of the plan does not change contracts already running.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Bestellt, noch nicht angenommen")
        ACTIVE = "active", _("Läuft")
        CANCELLED = "cancelled", _("Gekündigt")
        WITHDRAWN = "withdrawn", _("Widerrufen")

    subscriber = models.ForeignKey(
        Subscriber,
        on_delete=models.PROTECT,
        related_name="subscriptions",
        verbose_name=_("Abonnent"),
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="subscriptions", verbose_name=_("Angebot")
    )
    status = models.CharField(
        _("Status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    ordered_online = models.BooleanField(_("Online bestellt"), default=False)
    # § 356 Abs. 3 BGB: the withdrawal period does not begin before this; a
    # contract whose subscriber was never informed so (empty) can be withdrawn
    # for twelve months and 14 days. Set when an order is confirmed: the order
    # pages showed, and the confirmation mail carries, the full information.
    withdrawal_informed_on = models.DateField(
        _("Widerrufsbelehrung erteilt am"),
        null=True,
        blank=True,
        help_text=_(
            "Tag, an dem die vollständige Widerrufsbelehrung mit Muster-Widerrufsformular "
            "(Art. 246a § 1 Abs. 2 EGBGB) erteilt wurde; bei Online-Bestellungen automatisch. "
            "Leer: nicht ordnungsgemäß belehrt, das Widerrufsrecht erlischt dann erst zwölf "
            "Monate und 14 Tage nach Fristbeginn (§ 356 Abs. 3 BGB)."
        ),
    )
    # Print and combined plans: the withdrawal period begins with the receipt
    # of the first issue (§ 356 Abs. 2 Nr. 1 d BGB). Neither the start date
    # nor staff's acceptance tells that day (the next issue, the post), so
    # staff record it; until then the deadline is unknown and said to be.
    first_issue_received_on = models.DateField(
        _("Erste Ausgabe erhalten am"),
        null=True,
        blank=True,
        help_text=_(
            "Nur Print und Kombi: Tag, an dem die erste gedruckte Ausgabe beim Abonnenten "
            "ankam, nicht der Versandtag. Ist nur der Versandtag bekannt, die übliche "
            "Postlaufzeit hinzurechnen, im Zweifel den späteren Tag. Ab dem Folgetag läuft "
            "die Widerrufsfrist; solange das Feld leer ist, läuft sie noch nicht."
        ),
    )
    concluded_on = models.DateField(_("Vertragsschluss"), default=timezone.localdate)
    starts_on = models.DateField(_("Beginn"), default=timezone.localdate)
    minimum_term_ends = models.DateField(_("Ende der Mindestlaufzeit"), null=True, blank=True)
    notice_months = models.PositiveSmallIntegerField(_("Kündigungsfrist (Monate)"), default=1)
    renews = models.BooleanField(_("Verlängert sich"), default=True)
    renewal_months = models.PositiveSmallIntegerField(
        _("Verlängerung um … Monate"),
        default=12,
        validators=[MinValueValidator(1)],
        help_text=_("Nur für Verträge vor dem 1.3.2022: so lange verlängerte sich der Vertrag."),
    )
    price = models.DecimalField(_("Preis (EUR)"), max_digits=8, decimal_places=2)
    # Empty on contracts made before the plans knew their shipping costs.
    shipping = models.DecimalField(
        _("Versandkosten je Abrechnungszeitraum (EUR)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
    )
    # The last day it runs: set by a cancellation or withdrawal, and for a
    # fixed term (``renews`` off) from the start (save()).
    ends_on = models.DateField(_("Endet am"), null=True, blank=True)
    # Staff accepted the contract (Subscription.accept): only from then on is
    # it delivered, that is, in the mailing house's list (contracts.delivered_q).
    accepted_at = models.DateTimeField(_("Angenommen am"), null=True, blank=True)
    # The order form's one-time key, on contracts ordered before an order
    # waited for its e-mail address; newer ones have their Order (.order).
    submission = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("Angelegt"), auto_now_add=True)

    class Meta:
        ordering = ["-concluded_on", "-id"]
        verbose_name = _("Abonnement")
        verbose_name_plural = _("Abonnements")
        indexes = [models.Index(fields=["status", "plan"], name="subscription_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("concluded_on")),
                name="subscription_ends_after_conclusion",
            ),
            # A cancelled or withdrawn contract always knows its last day.
            models.CheckConstraint(
                condition=~Q(status__in=["cancelled", "withdrawn"]) | Q(ends_on__isnull=False),
                name="subscription_ended_has_end",
                violation_error_message=_(
                    "Ein gekündigter oder widerrufener Vertrag braucht das Datum, an dem er endet."
                ),
            ),
            # "Läuft" is delivered: nothing may reach the mailing house unaccepted.
            models.CheckConstraint(
                condition=~Q(status="active") | Q(accepted_at__isnull=False),
                name="subscription_active_is_accepted",
            ),
        ]

    def __str__(self):
        return f"{self.plan} – {self.subscriber}"

    def save(self, *args, **kwargs):
        # A fixed term's end is known from the start: the delivery list, the
        # Aboverwaltung and the declarations all read when a contract ends
        # from ``ends_on``, so it runs through that day and no longer.
        if self.ends_on is None:
            self.ends_on = terms.fixed_end(self)
        super().save(*args, **kwargs)

    @classmethod
    def agreed(cls, subscriber, plan, **fields):
        """A new contract on the plan's terms of today (not saved)."""
        today = timezone.localdate()
        starts_on = fields.pop("starts_on", today)
        return cls(
            subscriber=subscriber,
            plan=plan,
            concluded_on=fields.pop("concluded_on", today),
            starts_on=starts_on,
            minimum_term_ends=(
                terms.term_end(starts_on, plan.minimum_term_months)
                if plan.minimum_term_months
                else None
            ),
            notice_months=plan.notice_months,
            renews=plan.renews,
            renewal_months=plan.billing_months or 12,
            price=plan.price,
            shipping=plan.shipping if plan.delivered_by_post else Decimal("0.00"),
            **fields,
        )

    def clean(self):
        # Staff who set a contract to "Läuft" by hand accept it with that.
        if self.status == self.Status.ACTIVE and self.accepted_at is None:
            self.accepted_at = timezone.now()
        received = self.first_issue_received_on
        if received is None:
            return
        if self.plan_id is not None and not self.plan.delivered_by_post:
            message = _("Nur bei Print- und Kombi-Abonnements: Digital-Abos bekommen keine Hefte.")
        elif received > timezone.localdate():
            message = _("Dieser Tag liegt in der Zukunft: bitte eintragen, wenn das Heft da ist.")
        elif received < self.concluded_on:
            message = _("Die erste Ausgabe kann nicht vor dem Vertragsschluss angekommen sein.")
        else:
            return
        raise ValidationError({"first_issue_received_on": message})

    def accept(self):
        """Staff accept the contract: from now on it is delivered; an order starts running.

        A contract cancelled before anyone accepted it is delivered until it
        ends once accepted, but stays cancelled. Returns whether anything changed.
        """
        if self.accepted_at is not None:
            return False
        self.accepted_at = timezone.now()
        if self.status == self.Status.PENDING:
            self.status = self.Status.ACTIVE
        self.save(update_fields=["accepted_at", "status"])
        return True

    def state_display(self, day=None):
        """The status as a person reads it on ``day``: past its last day a contract has ended.

        The status says how it is to end; whether it has is a matter of the
        date (contracts.running_q), so nothing needs to change on the day.
        """
        day = day or timezone.localdate()
        if (
            self.status != self.Status.WITHDRAWN
            and self.ends_on is not None
            and self.ends_on < day
        ):
            return _("Beendet am %(day)s") % {"day": f"{self.ends_on:%d.%m.%Y}"}
        return self.get_status_display()

    @property
    def withdrawal_until(self):
        """The last day a withdrawal is in time, or None: not ordered online, or not known yet.

        Not known yet: a print or combined plan whose first issue has not
        been received (or recorded); the period has not begun.
        """
        if not self.ordered_online:
            return None
        return terms.withdrawal_deadline(
            self.concluded_on,
            by_post=self.plan.delivered_by_post,
            first_issue_on=self.first_issue_received_on,
            informed_on=self.withdrawal_informed_on,
        )

    @property
    def withdrawal_pending_first_issue(self):
        """Ordered online by post, and the period waits for the first issue to arrive."""
        return (
            self.ordered_online
            and self.plan.delivered_by_post
            and self.first_issue_received_on is None
        )

    def can_be_withdrawn(self, day=None):
        """Whether a withdrawal received on ``day`` takes effect.

        Only contracts concluded online have the right here, and only once.
        A cancellation does not end it: a cancelled contract can still be
        withdrawn within the period, and so can one whose period has not
        begun yet (first issue not received).
        """
        if not self.ordered_online or self.status == self.Status.WITHDRAWN:
            return False
        until = self.withdrawal_until
        return until is None or (day or timezone.localdate()) <= until
