"""Who looked: every view and export of subscriber data in the back office, append-only."""

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The shortest period the database lets the purge use (migration 0013's
# trigger); settings refuse a shorter PORTAL_RETENTION_ACCESS_LOG_DAYS.
ACCESS_LOG_MIN_DAYS = 365
# The transaction-local setting that opens the trigger for the purge, with the period in days.
PURGE_SETTING = "portal.access_log_purge_days"


class AccessLog(models.Model):
    """One look at subscriber data by a staff member: a change form, an export.

    Written once and never changed: a database trigger refuses every UPDATE,
    and every DELETE except the retention purge's (subscriptions.retention),
    which removes only entries older than its period. The record is named by
    pk and label, not by a foreign key, so it outlives an erased subscriber
    until its own period ends.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Angesehen")
        CSV = "csv", _("CSV-Export")
        DISCLOSURE = "disclosure", _("Datenauskunft (Seite)")
        DISCLOSURE_JSON = "disclosure-json", _("Datenauskunft (JSON)")

    at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now)
    # PROTECT: who looked stays named; staff who leave are deactivated, not deleted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Mitarbeiter"),
    )
    action = models.CharField(_("Vorgang"), max_length=20, choices=Action.choices)
    model = models.CharField(_("Datenart"), max_length=100)
    object_pk = models.CharField(_("Datensatz-Nr."), max_length=40, blank=True)
    label = models.CharField(_("Datensatz"), max_length=200, blank=True)
    rows = models.PositiveIntegerField(_("Zeilen"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("IP-Adresse"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("Zugriff auf Abonnentendaten")
        verbose_name_plural = _("Zugriffsprotokoll")
        indexes = [
            models.Index(fields=["-at"], name="access_log_at_idx"),
            models.Index(fields=["model", "object_pk"], name="access_log_object_idx"),
        ]

    def __str__(self):
        at = timezone.localtime(self.at)
        return f"{at:%d.%m.%Y %H:%M:%S} {self.get_action_display()}: {self.label}"

    @classmethod
    def record(cls, user, action, obj=None, *, model=None, label=None, rows=None, ip=None):
        """Note that ``user`` looked at ``obj`` (or exported ``rows`` rows of ``model``)."""
        if obj is not None:
            model = model or obj._meta.label_lower
        if label is None:
            label = "" if obj is None else str(obj)
        return cls.objects.create(
            user=user,
            action=action,
            model=model or "",
            object_pk="" if obj is None else str(obj.pk),
            label=label[:200],
            rows=rows,
            ip=ip or None,
        )

    @classmethod
    def purge(cls, queryset, days):
        """Delete what of ``queryset`` is older than ``days``: the one DELETE the database allows.

        The trigger lets it through only with PURGE_SETTING set in this
        transaction, and even then keeps (skips) entries younger than
        ``days``; the count is of those actually deleted.
        """
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [PURGE_SETTING, str(days)])
            deleted = queryset.delete()[0]
            cursor.execute("SELECT set_config(%s, '', true)", [PURGE_SETTING])
        return deleted
