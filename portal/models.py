"""The legal pages every German portal needs, kept as data the Chefredaktion edits;
the queue of background work as the admin shows it."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from portal.lib.text import sanitize_html


class Publisher(models.Model):
    """The Impressum (§ 5 DDG, § 18 Abs. 2 MStV) as structured fields: one row."""

    name = models.CharField(_("Verlag / Anbieter"), max_length=200)
    street = models.CharField(_("Straße und Hausnummer"), max_length=200)
    postcode = models.CharField(_("PLZ"), max_length=10)
    city = models.CharField(_("Ort"), max_length=100)
    represented_by = models.CharField(
        _("Vertreten durch"), max_length=300, help_text=_("Geschäftsführung oder Vorstand.")
    )
    email = models.EmailField(_("E-Mail"))
    phone = models.CharField(_("Telefon"), max_length=50)
    register = models.CharField(
        _("Registereintrag"),
        max_length=200,
        blank=True,
        help_text=_("z. B. Amtsgericht Berlin, HRB 12345"),
    )
    vat_id = models.CharField(_("Umsatzsteuer-ID"), max_length=30, blank=True)
    responsible = models.CharField(
        _("Verantwortlich für den Inhalt"),
        max_length=200,
        help_text=_("Nach § 18 Abs. 2 MStV: Name der verantwortlichen Person."),
    )
    responsible_address = models.CharField(
        _("Anschrift der verantwortlichen Person"), max_length=300
    )
    updated_at = models.DateTimeField(_("Geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Impressum")
        verbose_name_plural = _("Impressum")

    def __str__(self):
        return str(_("Impressum"))

    def get_absolute_url(self):
        return reverse("impressum")


class LegalText(models.Model):
    """Datenschutzerklärung, Barrierefreiheitserklärung and AGB: one text each."""

    class Kind(models.TextChoices):
        PRIVACY = "datenschutz", _("Datenschutzerklärung")
        ACCESSIBILITY = "barrierefreiheit", _("Erklärung zur Barrierefreiheit")
        TERMS = "agb", _("Allgemeine Geschäftsbedingungen für Abonnements")

    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, unique=True)
    title = models.CharField(_("Titel"), max_length=200)
    body = models.TextField(_("Text"))
    updated_at = models.DateTimeField(_("Geändert"), auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("Rechtstext")
        verbose_name_plural = _("Rechtstexte")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("legal", args=[self.kind])


class Task(DBTaskResult):
    """A background task (portal.lib.tasks) as the back office lists it, in German."""

    class Meta:
        proxy = True
        verbose_name = _("Hintergrundaufgabe")
        verbose_name_plural = _("Hintergrundaufgaben")
