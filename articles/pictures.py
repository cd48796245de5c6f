"""The picture library: pictures with their texts, and the addresses of their renditions."""

from django.core.validators import MaxValueValidator
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
    # The point that matters (a face, a sign): crops keep it in the picture.
    # Percentages from the left and from the top, set by a click in the admin.
    focal_x = models.PositiveSmallIntegerField(
        _("Bildmittelpunkt von links (%)"), default=50, validators=[MaxValueValidator(100)]
    )
    focal_y = models.PositiveSmallIntegerField(
        _("Bildmittelpunkt von oben (%)"), default=50, validators=[MaxValueValidator(100)]
    )
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
        """The smallest rendition, for lists in the back office: the 3:2 crop around
        the focal point where there is one (never the original of up to 10 MB)."""
        smallest = self.renditions.get("crop") or self.renditions.get("fallback") or []
        return self.file.storage.url(smallest[0][1]) if smallest else self.file.url

    @property
    def focal_position(self):
        """The focal point as CSS object-position, for where CSS crops the picture."""
        return f"{self.focal_x}% {self.focal_y}%"

    @property
    def focal_class(self):
        """The focal point to the nearest tenth as classes ("focal-x-30 focal-y-20"):
        the Content Security Policy allows no style attributes (portal.css)."""
        return f"focal-x-{round(self.focal_x, -1)} focal-y-{round(self.focal_y, -1)}"

    def sources(self, crop=False):
        """What <picture> needs: the whole picture, or (``crop``) the 3:2 crop around
        the focal point; the whole one where the crop was never rendered."""
        renditions = self.renditions
        if crop and renditions.get("crop"):
            first = renditions["crop"][-1][0]
            return {
                "fallback": self.srcset("crop"),
                "webp": self.srcset("crop_webp"),
                "src": self.file.storage.url(renditions["crop"][-1][1]),
                "width": first,
                "height": round(first * 2 / 3),
            }
        return {
            "fallback": self.fallback_srcset,
            "webp": self.webp_srcset,
            "src": self.src,
            "width": self.width,
            "height": self.height,
        }

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
