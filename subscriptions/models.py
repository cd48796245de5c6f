import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from subscriptions import terms

POSTCODE = RegexValidator(r"^[0-9]{4,5}$", _("Bitte eine PLZ aus 4 oder 5 Ziffern angeben."))


# How long a login link or an e-mail confirmation link works.
LINK_LIFETIME = datetime.timedelta(minutes=30)
# How long a newsletter confirmation link works.
CONSENT_LIFETIME = datetime.timedelta(days=7)


def new_token():
    """A secret for a link: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def token_hash(token):
    """What the database keeps of a link's secret: its hash, never the secret."""
    return hashlib.sha256(token.encode()).hexdigest()


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
    price = models.DecimalField(_("Preis (EUR)"), max_digits=8, decimal_places=2)
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
        help_text=_("Nach der Mindestlaufzeit auf unbestimmte Zeit, monatlich kündbar."),
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

    class Meta:
        ordering = ["name"]
        verbose_name = _("Abonnent")
        verbose_name_plural = _("Abonnenten")
        indexes = [models.Index(fields=["name"], name="subscriber_name_idx")]

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
        PENDING = "pending", _("Bestellt, noch nicht bearbeitet")
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
    ends_on = models.DateField(_("Endet am"), null=True, blank=True)
    # The order form's one-time key: an order sent twice is one contract.
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
        ]

    def __str__(self):
        return f"{self.plan} – {self.subscriber}"

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
            **fields,
        )

    @property
    def withdrawal_until(self):
        """The last day a withdrawal is possible, or None (not ordered online)."""
        return terms.withdrawal_deadline(self.concluded_on) if self.ordered_online else None

    def can_be_withdrawn(self, day=None):
        day = day or timezone.localdate()
        return (
            self.withdrawal_until is not None
            and day <= self.withdrawal_until
            and self.status in (self.Status.PENDING, self.Status.ACTIVE)
        )


class OutgoingMail(models.Model):
    """An e-mail as we sent it or will send it: written first, delivered after the commit.

    A failed delivery stays here, visible in the admin, and the worker
    (manage.py deliver_mail) tries again later.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Wartet")
        SENT = "sent", _("Versendet")
        FAILED = "failed", _("Fehlgeschlagen")

    purpose = models.CharField(_("Anlass"), max_length=40)
    to = models.EmailField(_("An"))
    subject = models.CharField(_("Betreff"), max_length=200)
    body_text = models.TextField(_("Text"))
    body_html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("Kopfzeilen"), default=dict, blank=True)
    state = models.CharField(
        _("Zustand"), max_length=10, choices=State.choices, default=State.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    next_attempt_at = models.DateTimeField(_("Nächster Versuch"), default=timezone.now)
    last_error = models.TextField(_("Letzter Fehler"), blank=True)
    created_at = models.DateTimeField(_("Angelegt"), auto_now_add=True)
    sent_at = models.DateTimeField(_("Versendet am"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("E-Mail")
        verbose_name_plural = _("E-Mails")
        indexes = [
            models.Index(
                fields=["next_attempt_at"], name="mail_due_idx", condition=Q(state="queued")
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.to}"


class Declaration(models.Model):
    """A cancellation or withdrawal as the person declared it: kept for good, never changed.

    The columns of the declaration itself cannot be changed or the row
    deleted (database trigger, migration 0001); staff can only match an
    unmatched one to contracts, which adds Effects.
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
    # The link to the receipt page; and the form's one-time key, so a
    # second click on "jetzt kündigen" finds the first declaration.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
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

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("Erklärung")
        verbose_name_plural = _("Kündigungen und Widerrufe")
        indexes = [models.Index(fields=["-received_at"], name="declaration_received_idx")]

    def __str__(self):
        received = timezone.localtime(self.received_at)
        return f"{self.get_kind_display()} {self.name}, {received:%d.%m.%Y %H:%M:%S}"

    def get_absolute_url(self):
        return reverse("subscriptions:receipt", args=[self.token])

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
        WITHDRAWN = "withdrawn", _("Widerrufen")
        TOO_LATE = "too_late", _("Widerrufsfrist abgelaufen")

    declaration = models.ForeignKey(
        Declaration, on_delete=models.PROTECT, related_name="effects", verbose_name=_("Erklärung")
    )
    subscription = models.ForeignKey(
        Subscription,
        on_delete=models.PROTECT,
        related_name="effects",
        verbose_name=_("Abonnement"),
    )
    outcome = models.CharField(_("Ergebnis"), max_length=10, choices=Outcome.choices)
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

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Newsletter-Ausgabe")
        verbose_name_plural = _("Newsletter-Ausgaben")

    def __str__(self):
        return self.subject
