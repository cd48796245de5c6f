"""The content models, all importable from here.

Image, Tag, TaggedArticle, ArticleLink and Autosave are defined beside the code of their
concern (articles.pictures, articles.tags, articles.links, articles.autosave); importing them here
registers them with the app and keeps "from articles.models import Tag" working.
"""

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from articles.autosave import Autosave  # noqa: F401
from articles.body import body_image_ids, embed_body_images
from articles.links import ArticleLink, LinksInOrder, links_as_rows  # noqa: F401
from articles.pictures import Image
from articles.related import RelatedPick, picks_in_order  # noqa: F401
from articles.tags import Tag, TaggedArticle, TagsInOrder, tags_as_rows  # noqa: F401
from articles.writing import SearchAndSocial
from portal.lib.text import german_slugify, sanitize_html


def this_minute():
    """Now, to the minute: publication times have no seconds (the editor's time field has none)."""
    return timezone.now().replace(second=0, microsecond=0)


class Section(models.Model):
    """A Bereich/Rubrik such as "Politik"; position orders the navigation."""

    name = models.CharField(_("Name"), max_length=80, unique=True)
    slug = models.SlugField(_("Kurzname (URL)"), max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(_("Position"), default=0)
    description = models.TextField(
        _("Beschreibung"), blank=True, help_text=_("Kurzer Text für die Bereichsseite.")
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("Bereich")
        verbose_name_plural = _("Bereiche")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self, at=None):
        """What readers may see (at ``at``, now): published, and the publish time has come.

        This is the only definition of visibility; every public view, list,
        feed and related box starts from it. Scheduled articles appear by
        themselves because this is a query, not a job.
        """
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=at or timezone.now())

    def for_listing(self):
        """Columns and joins a teaser list needs, in one query."""
        return self.select_related("section", "lead_image").defer("body")

    def revoke_preview_links(self):
        """Void every preview link shared so far for these articles; return how many.

        Not a save: the text is unchanged, so no new version, and no conflict
        for someone editing it meanwhile.
        """
        return self.update(preview_generation=F("preview_generation") + 1)

    def for_page(self):
        """An article page in one query: its joins, and its tags and links in the
        editor's order as arrays, however many there are (see tags_as_rows)."""
        return self.select_related("section", "lead_image", "author", "social_image").annotate(
            tag_rows=ArraySubquery(tags_as_rows()),
            link_rows=ArraySubquery(links_as_rows()),
            pick_ids=ArraySubquery(picks_in_order()),
        )


class Article(TagsInOrder, LinksInOrder, SearchAndSocial, models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", _("Meldung")
        REPORT = "report", _("Bericht")
        INTERVIEW = "interview", _("Interview")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        REVIEW = "review", _("In Prüfung")
        PUBLISHED = "published", _("Veröffentlicht")
        UNPUBLISHED = "unpublished", _("Zurückgezogen")

    #: Statuses only the Chefredaktion (permission publish_article) may set.
    PUBLISHING_STATUSES = {Status.PUBLISHED, Status.UNPUBLISHED}

    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="articles", verbose_name=_("Bereich")
    )
    kind = models.CharField(_("Art"), max_length=12, choices=Kind, default=Kind.NEWS)
    kicker = models.CharField(
        _("Dachzeile"), max_length=100, blank=True, help_text=_("Ort oder Thema, z. B. Sachsen.")
    )
    headline = models.CharField(_("Überschrift"), max_length=200)
    slug = models.SlugField(
        _("Kurzname (URL)"),
        max_length=200,
        blank=True,
        help_text=_("Leer lassen: wird aus Dachzeile und Überschrift gebildet."),
    )
    teaser = models.TextField(
        _("Vorspann"), help_text=_("Reiner Text; erscheint in Listen, Feeds und Suchmaschinen.")
    )
    body = models.TextField(_("Text"), blank=True)
    byline = models.CharField(
        _("Kürzel"), max_length=12, blank=True, help_text=_("Autorenkürzel, z. B. ba.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        limit_choices_to={"is_staff": True},
        verbose_name=_("Autor"),
    )
    lead_image = models.ForeignKey(
        Image,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Aufmacherbild"),
    )
    # For search results and shared links (articles.writing.SearchAndSocial):
    # empty, the headline, the teaser and the lead picture stand in.
    seo_title = models.CharField(
        _("SEO-Titel"),
        max_length=60,
        blank=True,
        db_default="",  # rows written by COPY (generate_articles) too
        help_text=_("Titel im Suchergebnis; leer: die Überschrift mit Dachzeile."),
    )
    seo_description = models.CharField(
        _("SEO-Beschreibung"),
        max_length=160,
        blank=True,
        db_default="",
        help_text=_("Text im Suchergebnis und beim Teilen; leer: der Vorspann."),
    )
    social_image = models.ForeignKey(
        Image,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Bild für soziale Netzwerke"),
        help_text=_("Erscheint, wenn der Artikel geteilt wird; leer: das Aufmacherbild."),
    )
    featured = models.BooleanField(
        _("Aufmacher"), default=False, help_text=_("Auf der Startseite oben zeigen.")
    )
    # IT-Guide vendors the article is about; their profiles list it.
    vendors = models.ManyToManyField(
        "ads.Vendor",
        blank=True,
        related_name="articles",
        verbose_name=_("Anbieter im IT-Guide"),
        help_text=_("Firmen, um die es geht: Der Beitrag erscheint in ihrem IT-Guide-Profil."),
    )
    # The pictures the body shows (derived from it on save), so a picture in use
    # on the site can be protected from changes by those who may not publish.
    body_images = models.ManyToManyField(
        Image,
        blank=True,
        editable=False,
        related_name="in_bodies",
        verbose_name=_("Bilder im Text"),
    )
    status = models.CharField(_("Status"), max_length=12, choices=Status, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        _("Veröffentlichung"),
        null=True,
        blank=True,
        help_text=_(
            "Leer: beim Veröffentlichen jetzt. In der Zukunft: erscheint dann von selbst."
        ),
    )
    created_at = models.DateTimeField(_("Angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Geändert"), auto_now=True)
    # Counts saves, so a form opened on version 7 knows when someone saved 8 meanwhile.
    version = models.PositiveIntegerField(_("Version"), default=0, editable=False)
    # Counts revocations of preview links: a link carries the count it was made
    # with (articles.views.article.preview_token), so counting up voids them all.
    # A database default too, for rows written by COPY (generate_articles).
    preview_generation = models.PositiveIntegerField(default=0, db_default=0, editable=False)

    # The article's Stichwörter as text, for the search vector. Written only by
    # database triggers (migrations 0011, 0012), whatever a save sends: a tag added,
    # removed or renamed anywhere (admin, QuerySet.update, COPY) updates it.
    tag_names = models.TextField(default="", editable=False)
    # Kicker and headline weigh most, then teaser and tags, then body. Generated
    # by the database, so every write (save, QuerySet.update, COPY) keeps it current.
    search_vector = models.GeneratedField(
        expression=(
            SearchVector("kicker", "headline", weight="A", config="german")
            + SearchVector("teaser", "tag_names", weight="B", config="german")
            + SearchVector("body", weight="D", config="german")
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # What a search can be narrowed by, as words: section "s3", kind "knews",
    # tags "t12", UTC month "m202611" and year "y2026". Indexed together with
    # search_vector, so a filtered search and the newest matches of a common
    # word are found in the index instead of reading the archive
    # (articles.search). Written only by the database trigger of migration 0012.
    search_facets = SearchVectorField(default="", editable=False)

    tags = TaggableManager(
        through="articles.TaggedArticle",
        blank=True,
        verbose_name=_("Stichwörter"),
        help_text=_(
            "Durch Kommas getrennt, in der gewünschten Reihenfolge: Politik, Sachsen, OZG"
        ),
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        verbose_name = _("Artikel")
        verbose_name_plural = _("Artikel")
        permissions = [("publish_article", _("Kann Artikel veröffentlichen und zurückziehen"))]
        indexes = [
            # Reader lists: latest first, only what readers may see.
            models.Index(
                fields=["-publish_at", "-id"],
                name="article_published_idx",
                condition=Q(status="published"),
            ),
            models.Index(
                fields=["section", "-publish_at"],
                name="article_section_published_idx",
                condition=Q(status="published"),
            ),
            # The home page's lead story: the newest featured article, found at once.
            models.Index(
                fields=["-publish_at"],
                name="article_featured_idx",
                condition=Q(status="published", featured=True),
            ),
            # Back office: all statuses, latest first; and the list's filters.
            models.Index(fields=["-publish_at"], name="article_publish_at_idx"),
            models.Index(fields=["status", "-publish_at"], name="article_status_idx"),
            # The kind filter: interviews are 3 % of the archive; without it the
            # list's count read the whole table (p95 372 ms at 200,000 articles).
            models.Index(fields=["kind", "-publish_at", "-id"], name="article_kind_idx"),
            models.Index(
                fields=["-publish_at"], name="article_featured_any_idx", condition=Q(featured=True)
            ),
            models.Index(fields=["headline"], name="article_headline_idx"),
            # The sitemap index's lastmod: the newest change among visible articles.
            models.Index(
                fields=["-updated_at"], name="article_updated_idx", condition=Q(status="published")
            ),
            models.Index(fields=["section", "-publish_at"], name="article_section_idx"),
            GinIndex(fields=["search_vector", "search_facets"], name="article_search_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(publish_at__isnull=False),
                name="article_published_has_time",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        self.version += 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "version", "updated_at"}
        super().save(*args, **kwargs)
        if kwargs.get("update_fields") is None or "body" in kwargs["update_fields"]:
            self.body_images.set(body_image_ids(self.body))

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"pk": self.pk, "slug": self.slug})

    def get_print_url(self):
        return reverse("articles:print", kwargs={"pk": self.pk, "slug": self.slug})

    def get_pdf_url(self):
        return reverse("articles:pdf", kwargs={"pk": self.pk, "slug": self.slug})

    def clean(self):
        self.fill_derived_fields()

    def publish(self):
        """Make the article visible: now, or at its publish time if one is set.

        A future publish time schedules it; an article taken back keeps its
        original date when it is published again.
        """
        self.status = self.Status.PUBLISHED
        if self.publish_at is None:
            self.publish_at = this_minute()

    def publish_now(self):
        """Make the article visible at once, even one scheduled for later."""
        if self.publish_at is not None and self.publish_at > timezone.now():
            self.publish_at = this_minute()
        self.publish()

    def unpublish(self):
        """Take the article off the site; its text and date stay for a later return."""
        self.status = self.Status.UNPUBLISHED

    @property
    def is_scheduled(self):
        """Published with a time still to come: readers see it from then on ("Geplant")."""
        return self.status == self.Status.PUBLISHED and not self.is_visible

    def fill_derived_fields(self):
        """Slug, publish time and the sanitized body follow from what the editor gave.

        Runs before form validation too, so "published" without a time passes
        the database's check and means "now".
        """
        if not self.slug:
            self.slug = german_slugify(self.title) or "artikel"
        if self.status == self.Status.PUBLISHED and self.publish_at is None:
            self.publish_at = this_minute()
        removed = []
        self.body = embed_body_images(sanitize_html(self.body, removed), removed)
        # What the editor is told after saving (ArticleAdmin.save_model). This
        # runs twice on a form save (clean, then save); the second finds nothing.
        self.body_removed = [*getattr(self, "body_removed", []), *removed]

    @property
    def title(self):
        """Headline with its kicker, as lists show it: "Sachsen: Digitalstrategie ..."."""
        return f"{self.kicker}: {self.headline}" if self.kicker else self.headline

    @property
    def is_visible(self):
        """Readers can see it now: the same rule as ArticleQuerySet.published(), for one object."""
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    @property
    def modified_at(self):
        """When readers last saw it change: the last save, or its appearing if later.

        A scheduled article is saved before it appears; feeds, sitemaps and
        the page's metadata must not say it changed before it was published.
        """
        if self.publish_at is None:
            return self.updated_at
        return max(self.updated_at, self.publish_at)

    @property
    def shows_kind(self):
        """Lists label reports and interviews; news items need no label."""
        return self.kind != self.Kind.NEWS

    def body_with_byline(self):
        """The body with the byline closing its last paragraph: "... zu stärken. (ba)"."""
        body = self.body
        if not self.byline:
            return mark_safe(body)  # noqa: S308 - sanitized when saved
        byline = format_html('<span class="byline">({})</span>', self.byline)
        if body.endswith("</p>"):
            return mark_safe(f"{body[:-4]} {byline}</p>")  # noqa: S308 - sanitized when saved
        return mark_safe(f"{body}<p>{byline}</p>")  # noqa: S308 - sanitized when saved


class Revision(models.Model):
    """The article as it was after one save: who, when, and every content field."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("Version"))
    created_at = models.DateTimeField(_("Gespeichert"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("von"),
    )
    comment = models.CharField(_("Anlass"), max_length=200, blank=True)
    data = models.JSONField(_("Inhalt"))
    # A step of the review (articles.review.Step) and the note given with it.
    step = models.CharField(_("Schritt"), max_length=12, blank=True, default="")
    note = models.TextField(_("Hinweis"), blank=True, default="")

    class Meta:
        ordering = ["-number"]
        verbose_name = _("Version")
        verbose_name_plural = _("Versionen")
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="unique_revision_number")
        ]

    def __str__(self):
        return _("Version %(number)d") % {"number": self.number}


# Defined beside the review desk's code; imported last, as it builds on Article and Revision.
from articles.review import WorkingCopy  # noqa: E402, F401
