"""The IT-Guide's vendors and categories, and the campaigns and creatives shown in ad places."""

import datetime
import re

import nh3
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Lower, Replace
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ads.slots import SLOT_CHOICES, SLOTS
from portal.lib.text import german_slugify


class Category(models.Model):
    """A field vendors work in: "Dokumentenmanagement", "Geoinformation", ..."""

    name = models.CharField(_("Name"), max_length=80, unique=True)
    slug = models.SlugField(_("Kurzname (URL)"), max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(_("Position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("Kategorie")
        verbose_name_plural = _("Kategorien")

    def __str__(self):
        return self.name


class VendorQuerySet(models.QuerySet):
    def listed(self, day=None):
        """Vendors readers see in the IT-Guide: their listing runs on ``day`` (today)."""
        day = day or timezone.localdate()
        return self.filter(
            Q(listed_until__isnull=True) | Q(listed_until__gte=day), listed_from__lte=day
        )


# What the description may contain: paragraphs, emphasis, lists and links.
DESCRIPTION_TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li"}

# Legal forms left out when looking for a vendor's name in articles, which
# say "con terra" rather than "con terra GmbH".
_LEGAL_FORM = re.compile(
    r"(?:\s*(?:&\s*Co\.?\s*)?\b(?:GmbH|mbH|AG|KG|KGaA|SE|OHG|UG|e\.\s?V\.|eG|Ltd\.?|Inc\.?)"
    r"(?:\s*\(haftungsbeschränkt\))?)+\s*$",
    re.IGNORECASE,
)


class Vendor(models.Model):
    """A company in the IT-Guide; advertisers are vendors too."""

    class Country(models.TextChoices):
        GERMANY = "DE", _("Deutschland")
        AUSTRIA = "AT", _("Österreich")
        SWITZERLAND = "CH", _("Schweiz")
        LUXEMBOURG = "LU", _("Luxemburg")
        NETHERLANDS = "NL", _("Niederlande")
        OTHER = "--", _("anderes Land")

    name = models.CharField(_("Name"), max_length=150)
    slug = models.SlugField(
        _("Kurzname (URL)"),
        max_length=160,
        unique=True,
        blank=True,
        help_text=_("Leer: aus dem Namen („Münster“ wird „muenster“)."),
    )
    logo = models.ImageField(
        _("Logo"),
        upload_to="logos/%Y/",
        width_field="logo_width",
        height_field="logo_height",
        blank=True,
        help_text=_("JPEG, PNG oder WebP, höchstens 10 MB; am besten mindestens 400 Pixel breit."),
    )
    logo_width = models.PositiveIntegerField(editable=False, default=0)
    logo_height = models.PositiveIntegerField(editable=False, default=0)
    logo_renditions = models.JSONField(default=dict, editable=False)
    street = models.CharField(_("Straße und Hausnummer"), max_length=150, blank=True)
    postcode = models.CharField(_("PLZ"), max_length=10)
    city = models.CharField(_("Ort"), max_length=100)
    country = models.CharField(
        _("Land"), max_length=2, choices=Country.choices, default=Country.GERMANY
    )
    website = models.URLField(_("Website"), blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    categories = models.ManyToManyField(
        Category, blank=True, related_name="vendors", verbose_name=_("Kategorien")
    )
    plus = models.BooleanField(
        _("IT-Guide Plus"),
        default=False,
        help_text=_("Premium-Eintrag: steht oben in der Liste und im Kasten auf jeder Seite."),
    )
    listed_from = models.DateField(_("Eintrag ab"), default=timezone.localdate)
    listed_until = models.DateField(
        _("Eintrag bis"), null=True, blank=True, help_text=_("Leer: ohne Ende.")
    )
    created_at = models.DateTimeField(_("Angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Geändert"), auto_now=True)
    # The name as German readers sort it (DIN 5007: case ignored, "Ä" as "A",
    # "ß" as "ss"), made by the database: its C collation would put "ab-data"
    # and "Ärzte-IT" after "Zebra", and no ICU collation is there to help.
    sort_name = models.GeneratedField(
        expression=Lower(
            Func(
                Replace(F("name"), Value("ß"), Value("ss")),
                Value("ÄÖÜäöüÉéÈè"),
                Value("AOUaouEeEe"),
                function="translate",
            )
        ),
        output_field=models.CharField(max_length=160),
        db_persist=True,
    )

    objects = VendorQuerySet.as_manager()

    class Meta:
        ordering = ["-plus", "sort_name"]
        verbose_name = _("Anbieter")
        verbose_name_plural = _("Anbieter")
        indexes = [
            models.Index(fields=["-plus", "sort_name"], name="vendor_list_idx"),
            models.Index(fields=["postcode"], name="vendor_postcode_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(listed_until__isnull=True)
                | Q(listed_until__gte=models.F("listed_from")),
                name="vendor_listing_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.unique_slug()
        self.description = nh3.clean(
            self.description or "",
            tags=DESCRIPTION_TAGS,
            attributes={"a": {"href"}},
            url_schemes={"http", "https", "mailto"},
            # A listing is paid for: its links pass no search-engine credit.
            link_rel="nofollow noopener noreferrer",
            strip_comments=True,
        ).strip()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("ads:vendor", kwargs={"slug": self.slug})

    def clean(self):
        """Postcodes as the country writes them: five digits in Germany, four in AT/CH/LU."""
        digits = {self.Country.GERMANY: 5, self.Country.AUSTRIA: 4, self.Country.SWITZERLAND: 4}
        digits[self.Country.LUXEMBOURG] = 4
        expected = digits.get(self.country)
        if expected and not re.fullmatch(rf"[0-9]{{{expected}}}", self.postcode or ""):
            raise ValidationError(
                {"postcode": _("Die PLZ hat in %(country)s %(digits)d Ziffern.")
                 % {"country": self.get_country_display(), "digits": expected}}
            )  # fmt: skip

    def unique_slug(self):
        """The name as a German slug, numbered if another vendor has it already."""
        base = german_slugify(self.name, max_length=150) or "anbieter"
        taken = set(
            Vendor.objects.filter(slug__startswith=base)
            .exclude(pk=self.pk)
            .values_list("slug", flat=True)
        )
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        return slug

    @property
    def is_listed(self):
        today = timezone.localdate()
        return self.listed_from <= today and (
            self.listed_until is None or self.listed_until >= today
        )

    @property
    def mention_name(self):
        """The name as articles write it: "ab-data GmbH & Co. KG" -> "ab-data"."""
        return _LEGAL_FORM.sub("", self.name).strip() or self.name

    @property
    def logo_src(self):
        fallback = self.logo_renditions.get("fallback") or []
        if fallback:
            return self.logo.storage.url(fallback[0][1])
        return self.logo.url if self.logo else ""

    def logo_srcset(self, kind):
        storage = self.logo.storage
        return ", ".join(
            f"{storage.url(name)} {width}w" for width, name in self.logo_renditions.get(kind, [])
        )


class CampaignQuerySet(models.QuerySet):
    def running(self, at=None):
        """Campaigns whose ads show at ``at`` (now): started, not ended, not paused."""
        at = at or timezone.now()
        return self.filter(starts_at__lte=at, ends_at__gt=at, paused=False)


class Campaign(models.Model):
    """An advertiser's booking: when its ads show and how often, relative to others."""

    advertiser = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("Werbekunde")
    )
    name = models.CharField(_("Name"), max_length=150)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    weight = models.PositiveSmallIntegerField(
        _("Gewicht"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_(
            "Anteil an den Einblendungen eines Platzes: eine Kampagne mit 20 erscheint "
            "doppelt so oft wie eine mit 10."
        ),
    )
    paused = models.BooleanField(_("Pausiert"), default=False)
    notes = models.TextField(_("Notizen"), blank=True)
    created_at = models.DateTimeField(_("Angelegt"), auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("Kampagne")
        verbose_name_plural = _("Kampagnen")
        indexes = [models.Index(fields=["ends_at", "starts_at"], name="campaign_period_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="campaign_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(weight__gte=1), name="campaign_weight_positive"),
        ]

    def __str__(self):
        return f"{self.advertiser}: {self.name}"

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("Das Ende muss nach dem Beginn liegen.")})

    @property
    def last_moment(self):
        """The last moment the campaign runs (it ends *before* ends_at): for dates shown."""
        return self.ends_at - datetime.timedelta(microseconds=1)

    @property
    def state(self):
        now = timezone.now()
        if self.paused:
            return "paused"
        if self.starts_at > now:
            return "planned"
        if self.ends_at <= now:
            return "ended"
        return "running"


_HTTP_URL = URLValidator(schemes=["http", "https"])


class Creative(models.Model):
    """One picture of a campaign for one ad place, with where a click leads."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="creatives", verbose_name=_("Kampagne")
    )
    slot = models.CharField(_("Platz"), max_length=30, choices=SLOT_CHOICES)
    image = models.ImageField(
        _("Bild"),
        upload_to="ads/%Y/%m/",
        width_field="width",
        height_field="height",
        help_text=_("JPEG, PNG oder WebP in der Größe des Platzes (oder doppelt so groß)."),
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    alt_text = models.CharField(
        _("Alternativtext"),
        max_length=200,
        help_text=_("Was die Anzeige sagt, für Menschen, die sie nicht sehen."),
    )
    target_url = models.URLField(_("Ziel-Adresse"), max_length=500, validators=[_HTTP_URL])
    active = models.BooleanField(_("Aktiv"), default=True)
    created_at = models.DateTimeField(_("Angelegt"), auto_now_add=True)

    class Meta:
        ordering = ["campaign", "slot", "id"]
        verbose_name = _("Anzeigenmotiv")
        verbose_name_plural = _("Anzeigenmotive")
        indexes = [
            models.Index(fields=["slot"], name="creative_slot_idx", condition=Q(active=True))
        ]

    def __str__(self):
        return f"{self.campaign.name} – {self.get_slot_display()}"

    def clean(self):
        """The picture must fit its place, so the page never jumps or stretches it."""
        slot = SLOTS.get(self.slot)
        if slot and self.image and self.width and not slot.fits(self.width, self.height):
            raise ValidationError(
                {
                    "image": _(
                        "Das Bild ist %(width)d × %(height)d Pixel groß; der Platz „%(slot)s“ "
                        "braucht %(slot_width)d × %(slot_height)d Pixel (oder doppelt so groß, "
                        "%(double_width)d × %(double_height)d)."
                    )
                    % {
                        "width": self.width,
                        "height": self.height,
                        "slot": slot.label,
                        "slot_width": slot.width,
                        "slot_height": slot.height,
                        "double_width": 2 * slot.width,
                        "double_height": 2 * slot.height,
                    }
                }
            )

    @property
    def slot_info(self):
        return SLOTS[self.slot]

    def get_click_url(self):
        return reverse("ads:click", kwargs={"pk": self.pk})


class AdDay(models.Model):
    """What one creative did on one day (Berlin time): shown how often, clicked how often.

    Clicks are added in the database at once, by our own redirect; impressions
    are gathered in the cache and added in batches (ads.counting).
    """

    creative = models.ForeignKey(
        Creative, on_delete=models.PROTECT, related_name="days", verbose_name=_("Anzeigenmotiv")
    )
    day = models.DateField(_("Tag"))
    impressions = models.PositiveBigIntegerField(_("Einblendungen"), default=0)
    clicks = models.PositiveBigIntegerField(_("Klicks"), default=0)

    class Meta:
        ordering = ["day"]
        verbose_name = _("Tageszahlen")
        verbose_name_plural = _("Tageszahlen")
        constraints = [
            models.UniqueConstraint(fields=["creative", "day"], name="adday_one_row_per_day"),
        ]

    def __str__(self):
        return f"{self.creative_id} {self.day}"


class ClickWindow(models.Model):
    """Clicks on a creative counted lately, so that a client's repeated clicks count once.

    ``key`` is a keyed hash (ads.counting.click_keys) of the creative with the
    client (its network and browser), or with the network alone; no address
    or browser name is kept. A window lasts ads.counting.CLICK_WINDOW from
    ``opened_at``; closed ones are deleted with the next flush of impressions.
    """

    key = models.UUIDField(primary_key=True)
    opened_at = models.DateTimeField()
    # Clicks counted in the window: always 1 for a client; for a network, the
    # number of its browsers that clicked, which is capped.
    clicks = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("Klickfenster")
        verbose_name_plural = _("Klickfenster")

    def __str__(self):
        return f"{self.key} {self.opened_at:%Y-%m-%d %H:%M}"
