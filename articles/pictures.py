"""The picture library: pictures with their texts, and the addresses of their renditions."""

from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.lib.images import UnguessableName, make_renditions
from portal.lib.text import sanitize_html


class Image(models.Model):
    """A picture with what readers and screen readers need to know about it."""

    file = models.ImageField(
        _("Datei"),
        # Stored under a random name: uploaded for an article that is not out
        # yet, a picture must not be found by its file name or id.
        upload_to=UnguessableName("images/%Y/%m/"),
        width_field="width",
        height_field="height",
        help_text=_("JPEG, PNG oder WebP, höchstens 10 MB und 40 Megapixel."),
    )
    original_name = models.CharField(
        _("Ursprünglicher Dateiname"),
        max_length=255,
        blank=True,
        editable=False,
        help_text=_(
            "Nur für die Redaktion: So hieß die Datei beim Hochladen. Ausgeliefert wird "
            "das Bild unter einem zufälligen Namen."
        ),
    )
    width = models.PositiveIntegerField(_("Breite"), editable=False, default=0)
    height = models.PositiveIntegerField(_("Höhe"), editable=False, default=0)
    alt_text = models.CharField(
        _("Alternativtext"),
        max_length=250,
        help_text=_("Was auf dem Bild zu sehen ist, für Menschen, die es nicht sehen."),
    )
    caption = models.CharField(_("Bildunterschrift"), max_length=300, blank=True)
    credit = models.CharField(_("Bildnachweis"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("Hochgeladen"), auto_now_add=True)
    renditions = models.JSONField(default=dict, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Bild")
        verbose_name_plural = _("Bilder")

    def __str__(self):
        return self.caption or self.alt_text or self.file.name

    def is_used_in_published_or_scheduled_article(self):
        """Readers see this picture, or will at a set time: the lead or a body picture
        of an article with the status "Veröffentlicht", whether or not its time has come."""
        from articles.models import Article  # which imports this module

        return Article.objects.filter(
            Q(lead_image=self) | Q(body_images=self), status=Article.Status.PUBLISHED
        ).exists()

    def renew_renditions(self):
        """Render the picture again, and point the article bodies that show it at the result.

        A body is saved with its pictures' rendition addresses in it
        (articles.body), and every rendering has new addresses, so each body
        that embeds this picture is embedded again. By queryset update: the
        text is the same, so neither the article's version (the editors'
        conflict check) nor its revisions change; the topic triggers renew
        its pages. The old renditions go once this has committed.
        """
        from articles.body import embed_body_images
        from articles.models import Article

        with transaction.atomic():
            make_renditions(self)
            showing = Article.objects.filter(body_images=self).values_list("pk", "body")
            for pk, body in showing:
                Article.objects.filter(pk=pk).update(body=embed_body_images(sanitize_html(body)))

    @property
    def print_src(self):
        """The widest rendition, for print and PDF."""
        fallback = self.renditions.get("fallback") or []
        return self.file.storage.url(fallback[-1][1]) if fallback else self.file.url

    @property
    def thumbnail_url(self):
        """The smallest rendition, for lists in the back office."""
        fallback = self.renditions.get("fallback") or []
        return self.file.storage.url(fallback[0][1]) if fallback else self.file.url

    def srcset(self, kind):
        """ "…/480.jpg 480w, …/800.jpg 800w" for srcset; empty before renditions exist."""
        storage = self.file.storage
        return ", ".join(
            f"{storage.url(name)} {width}w" for width, name in self.renditions.get(kind, [])
        )

    @property
    def fallback_srcset(self):
        return self.srcset("fallback")

    @property
    def webp_srcset(self):
        return self.srcset("webp")

    @property
    def src(self):
        """The address for browsers that ignore srcset: a middle width, or the original."""
        fallback = self.renditions.get("fallback") or []
        for width, name in fallback:
            if width >= 800:
                return self.file.storage.url(name)
        return self.file.storage.url(fallback[-1][1]) if fallback else self.file.url
