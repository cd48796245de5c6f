"""Autosaves: what an editor typed into the article form and has not saved yet.

One per editor and article (a new, never saved article by the id its form
made up), kept on the server so a closed tab or a crashed browser loses
nothing. An autosave is not a save: the article, its version and its
revisions stay as they are until the editor saves, and that save removes it.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Unclaimed autosaves are forgotten after this many days (articles.tasks.purge_autosaves).
KEEP_DAYS = 30


class AutosaveQuerySet(models.QuerySet):
    def of(self, user, article=None, key=""):
        """``user``'s autosave of ``article``, or of the new article whose form has ``key``."""
        if article is not None:
            return self.filter(user=user, article=article)
        return self.filter(user=user, article__isnull=True, key=key)

    def of_new_articles(self, user):
        """``user``'s autosaves of articles never saved, newest first."""
        return self.filter(user=user, article__isnull=True).order_by("-saved_at")

    def expired(self, now=None):
        return self.filter(saved_at__lt=(now or timezone.now()) - datetime.timedelta(KEEP_DAYS))


class Autosave(models.Model):
    """The article form's fields as the editor left them, saved every few seconds."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("von")
    )
    # None for an article not saved yet; its form's ``key`` tells them apart.
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="autosaves",
        verbose_name=_("Artikel"),
    )
    key = models.CharField(_("Formular"), max_length=40, blank=True)
    # The article's version the form was opened on: a save by someone else
    # since then is shown, and the form's conflict check still applies.
    version = models.PositiveIntegerField(_("Version"), null=True, blank=True)
    # {"fields": [[name, value], ...], "labels": {name: {value: text}}, "at": ms}:
    # the form's controls as the browser would post them, the names of chosen
    # options the form cannot look up by itself (autocomplete lists), and when.
    data = models.JSONField(_("Inhalt"))
    saved_at = models.DateTimeField(_("Gesichert"))

    objects = AutosaveQuerySet.as_manager()

    class Meta:
        verbose_name = _("Zwischenstand")
        verbose_name_plural = _("Zwischenstände")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=Q(article__isnull=False),
                name="autosave_one_per_article",
            ),
            models.UniqueConstraint(
                fields=["user", "key"],
                condition=Q(article__isnull=True),
                name="autosave_one_per_new_form",
            ),
        ]
        indexes = [models.Index(fields=["saved_at"], name="autosave_saved_idx")]

    def __str__(self):
        return str(_("Zwischenstand vom %(when)s")) % {"when": self.saved_at}

    @classmethod
    def store(cls, user, data, article=None, key="", version=None):
        """Keep ``data`` as ``user``'s autosave of ``article`` (or the new form ``key``).

        Two requests of one form may race (the timer's, and the one sent as
        the page is closed) and arrive in either order: ``data["at"]``, the
        browser's clock when it was taken, keeps the later one.
        """
        fields = {"user": user, "article": article, "key": "" if article is not None else key}
        try:
            with transaction.atomic():
                return cls._store(fields, data, version)
        except IntegrityError:  # the other one made the row meanwhile: update it
            with transaction.atomic():
                return cls._store(fields, data, version)

    @classmethod
    def _store(cls, fields, data, version):
        autosave = cls.objects.select_for_update().filter(**fields).first()
        if autosave is None:
            autosave = cls(**fields)
        elif autosave.data.get("at", 0) > data.get("at", 0):
            return autosave  # an older one, late
        autosave.data, autosave.version, autosave.saved_at = data, version, timezone.now()
        autosave.save()
        return autosave

    @classmethod
    def purge(cls, now=None):
        """Forget autosaves nobody came back to within KEEP_DAYS; return how many."""
        deleted, _by_model = cls.objects.expired(now).delete()
        return deleted
