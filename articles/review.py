"""The review desk: publishing steps, the notes that travel with them, and drafts of live articles.

An article not yet published is changed in place: its status says where it
stands (draft, in review, published), and each step is a revision that keeps
who took it and the note they gave (Revision.step, Revision.note).

A published article is never changed by a save: the edited fields go into its
WorkingCopy, and readers (page, lists, feeds, PDF) keep seeing the Article row
until someone who may publish applies the copy (apply_working_copy). The copy
is the pending revision: it keeps its own step and note while it is in review.
"""

from copy import copy as clone

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import models, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Revision

# The buttons of the publishing bar, by what they do.
SAVE, SUBMIT, PUBLISH, RETURN, UNPUBLISH = "save", "submit", "publish", "return", "unpublish"
ACTIONS = (SAVE, SUBMIT, PUBLISH, RETURN, UNPUBLISH)
# Only who may publish (articles.publish_article) takes these.
PUBLISHING_ACTIONS = frozenset({PUBLISH, RETURN, UNPUBLISH})


class Step(models.TextChoices):
    """What a revision or a working copy records as the last step of the review."""

    SUBMITTED = "submitted", _("Zur Prüfung eingereicht")
    RETURNED = "returned", _("Zurück an die Redaktion")
    PUBLISHED = "published", _("Veröffentlicht")


class WorkingCopy(models.Model):
    """The next version of a published article, edited while the live one stays.

    ``data`` has the shape of a revision's snapshot (articles.revisions.snapshot),
    plus the IT-Guide vendors; ``base_version`` is the article's version it
    was last saved against. ``version`` counts the copy's own saves, so a form
    opened on it knows when someone else saved into it meanwhile (articles.conflicts).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        REVIEW = "review", _("In Prüfung")

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="working_copy", verbose_name=_("Artikel")
    )
    data = models.JSONField(_("Inhalt"))
    base_version = models.PositiveIntegerField(_("Stand der veröffentlichten Fassung"))
    version = models.PositiveIntegerField(_("Version des Entwurfs"), default=0, editable=False)
    status = models.CharField(
        _("Status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    updated_at = models.DateTimeField(_("Geändert"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The last step (submitted or returned), by whom, when, with which note.
    step = models.CharField(_("Schritt"), max_length=12, choices=Step.choices, blank=True)
    step_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    step_at = models.DateTimeField(_("Schritt am"), null=True)
    note = models.TextField(_("Hinweis"), blank=True)
    # Who proposed it: told when it is returned or published.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Entwurf einer Änderung")
        verbose_name_plural = _("Entwürfe von Änderungen")
        indexes = [
            models.Index(
                fields=["-step_at"], name="working_copy_review_idx", condition=Q(status="review")
            )
        ]

    def __str__(self):
        return str(_("Entwurf der Änderung von „%(title)s“") % {"title": self.article.title})

    @property
    def mark(self):
        """Which copy at which save: a discarded copy's successor starts again at 1."""
        return f"{self.pk}.{self.version}"


def uses_working_copy(article):
    """Saves of this article go into its working copy: readers see it now or at its time."""
    return article.pk is not None and article.status == Article.Status.PUBLISHED


def may_publish(user):
    return user.has_perm("articles.publish_article")


def allowed_actions(user, article):
    """The bar's buttons for this person and article, in the bar's order."""
    publisher = may_publish(user)
    live = uses_working_copy(article)
    actions = [SAVE]
    if live:
        copy = working_copy_of(article)
        in_review = copy is not None and copy.status == WorkingCopy.Status.REVIEW
    else:
        in_review = article.status == Article.Status.REVIEW
    if not in_review or not publisher:
        actions.append(SUBMIT)
    if publisher:
        if in_review:
            actions.append(RETURN)
        actions.append(PUBLISH)
        if live:
            actions.append(UNPUBLISH)
    return actions


def working_copy_of(article):
    """The article's working copy, or None (read once per article object)."""
    if not hasattr(article, "_working_copy_cache"):
        article._working_copy_cache = (
            WorkingCopy.objects.filter(article=article).first() if article.pk else None
        )
    return article._working_copy_cache


def target_status(action, article):
    """The status an article (not a live one) has after ``action``."""
    return {
        SAVE: article.status if article.pk else Article.Status.DRAFT,
        SUBMIT: Article.Status.REVIEW,
        PUBLISH: Article.Status.PUBLISHED,
        RETURN: Article.Status.DRAFT,
        UNPUBLISH: Article.Status.UNPUBLISHED,
    }[action]


STEP_OF = {SUBMIT: Step.SUBMITTED, RETURN: Step.RETURNED, PUBLISH: Step.PUBLISHED}


def save_working_copy(article, data, user, action, note=""):
    """Keep the edited fields of a live article; the Article row stays as readers see it."""
    copy = working_copy_of(article) or WorkingCopy(article=article)
    copy.data = data
    copy.base_version = article.version
    copy.version += 1
    copy.updated_by = user
    if action == SUBMIT:
        copy.status = WorkingCopy.Status.REVIEW
        copy.submitted_by = user
    elif action == RETURN:
        copy.status = WorkingCopy.Status.DRAFT
    if action in (SUBMIT, RETURN):
        copy.step, copy.step_by, copy.step_at, copy.note = (
            STEP_OF[action],
            user,
            timezone.now(),
            note,
        )
    copy.save()
    article._working_copy_cache = copy
    return copy


def restore_into_working_copy(article, revision, user):
    """An earlier version of a published article becomes the draft of its next change.

    Restoring must not change what readers see: the content goes into the
    working copy (status, publication time and address stay as the draft has
    them), and goes live only when someone publishes the changes. Call with
    the article row locked; the copy is read afresh and locked too.
    """
    from articles.revisions import NOT_RESTORED, apply_snapshot, unsaved_snapshot

    copy = WorkingCopy.objects.select_for_update().filter(article=article).first()
    article._working_copy_cache = copy
    draft = clone(article)
    if copy is not None:
        apply_snapshot(draft, copy.data, skip={"status"})
    apply_snapshot(draft, revision.data, skip=NOT_RESTORED)
    data = unsaved_snapshot(draft, revision.data["tags"], revision.data["links"])
    # Revisions do not keep the IT-Guide vendors: the draft keeps its own.
    if copy is not None and "vendors" in copy.data:
        data["vendors"] = copy.data["vendors"]
    else:
        data["vendors"] = list(article.vendors.values_list("pk", flat=True))
    return save_working_copy(article, data, user, SAVE)


def apply_working_copy(article, user, status=Article.Status.PUBLISHED, note=""):
    """Make the working copy the article (published, or taken back); return the revision.

    Saved through Article.save(), so the page cache and the search learn of
    it as of any save; the copy is gone afterwards.
    """
    from articles.revisions import apply_snapshot, keep_original, save_revision

    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        copy = WorkingCopy.objects.select_for_update().get(article=article)
        keep_original(article)
        apply_snapshot(article, copy.data, skip={"status"})
        article.status = status
        if status == Article.Status.PUBLISHED:
            article.publish()
        article.save()
        article.set_tags(copy.data["tags"])
        article.set_links(copy.data["links"])
        if "vendors" in copy.data:
            article.vendors.set(copy.data["vendors"])
        comment = _("Entwurf der Änderung übernommen: %(status)s") % {
            "status": article.get_status_display()
        }
        revision = save_revision(article, user, comment)
        Revision.objects.filter(pk=revision.pk).update(
            step=Step.PUBLISHED if status == Article.Status.PUBLISHED else "",
            note=note or copy.note,
        )
        copy.delete()
    article._working_copy_cache = None
    article._proposed_by = copy.submitted_by
    return article


def discard_working_copy(article):
    WorkingCopy.objects.filter(article=article).delete()
    article._working_copy_cache = None


def mark_step(revision, action, note):
    """The revision a step of the review made keeps the step and its note."""
    step = STEP_OF.get(action, "")
    if step or note:
        Revision.objects.filter(pk=revision.pk).update(step=step, note=note)
        revision.step, revision.note = step, note


def last_step(article):
    """What the person opening the form should know: the last step with its note.

    (step, user, when, note, of_working_copy) or None.
    """
    copy = working_copy_of(article)
    if copy is not None and copy.step:
        return (copy.get_step_display(), copy.step_by, copy.step_at, copy.note, True)
    revision = (
        article.revisions.exclude(step="").select_related("user").defer("data").first()
        if article.pk
        else None
    )
    if revision is None or revision.step == Step.PUBLISHED and not revision.note:
        return None
    return (Step(revision.step).label, revision.user, revision.created_at, revision.note, False)


def submitter_of(article):
    """Who submitted the article (or its working copy) for review last."""
    copy = working_copy_of(article)
    if copy is not None and copy.submitted_by_id:
        return copy.submitted_by
    revision = article.revisions.filter(step=Step.SUBMITTED).select_related("user").first()
    return revision.user if revision else None


def publishers():
    """Who is told that something waits for review: active staff who may publish."""
    permission = Permission.objects.filter(
        content_type__app_label="articles", codename="publish_article"
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(Q(groups__permissions__in=permission) | Q(user_permissions__in=permission))
        .exclude(email="")
        .distinct()
    )


class QueueItem:
    """One line of the Chefredaktion's queue."""

    def __init__(self, article, submitted_by, submitted_at, note, change_of_live):
        self.article = article
        self.submitted_by = submitted_by
        self.submitted_at = submitted_at
        self.note = note
        self.change_of_live = change_of_live


def _name(user):
    return (user.get_full_name() or user.get_username()) if user else ""


def review_queue(limit=50):
    """What waits for review, oldest submission first: two queries, however many there are."""
    submitted = Revision.objects.filter(article=OuterRef("pk"), step=Step.SUBMITTED).order_by(
        "-number"
    )
    user_model = get_user_model()
    articles = list(
        Article.objects.filter(status=Article.Status.REVIEW)
        .select_related("section")
        .only("id", "kicker", "headline", "section__name", "updated_at", "status")
        .annotate(
            submitted_at=Subquery(submitted.values("created_at")[:1]),
            submitted_note=Subquery(submitted.values("note")[:1]),
            submitted_by_first=Subquery(submitted.values("user__first_name")[:1]),
            submitted_by_last=Subquery(submitted.values("user__last_name")[:1]),
            submitted_by_login=Subquery(
                submitted.values(f"user__{user_model.USERNAME_FIELD}")[:1]
            ),
        )
        .order_by("pk")[:limit]
    )
    items = [
        QueueItem(
            a,
            f"{a.submitted_by_first} {a.submitted_by_last}".strip() or a.submitted_by_login or "",
            a.submitted_at or a.updated_at,
            a.submitted_note or "",
            change_of_live=False,
        )
        for a in articles
    ]
    copies = (
        WorkingCopy.objects.filter(status=WorkingCopy.Status.REVIEW)
        .select_related("article__section", "step_by")
        .defer("data", "article__body", "article__search_vector")
        .order_by("step_at")[:limit]
    )
    items += [
        QueueItem(c.article, _name(c.step_by), c.step_at, c.note, change_of_live=True)
        for c in copies
    ]
    return sorted(items, key=lambda item: item.submitted_at or timezone.now())


def returned_to(user, limit=20):
    """What the Chefredaktion sent back to this person, newest first (for their start page)."""
    last_step = (
        Revision.objects.filter(article=OuterRef("pk")).exclude(step="").order_by("-number")
    )
    articles = list(
        Article.objects.filter(status=Article.Status.DRAFT)
        .annotate(
            last_step=Subquery(last_step.values("step")[:1]),
            step_at=Subquery(last_step.values("created_at")[:1]),
            step_note=Subquery(last_step.values("note")[:1]),
        )
        .filter(
            last_step=Step.RETURNED,
            revisions__step=Step.SUBMITTED,
            revisions__user=user,
        )
        .distinct()
        .only("id", "kicker", "headline")
        .order_by("-step_at")[:limit]
    )
    items = [QueueItem(a, "", a.step_at, a.step_note, change_of_live=False) for a in articles]
    copies = (
        WorkingCopy.objects.filter(step=Step.RETURNED, submitted_by=user)
        .select_related("article")
        .only("id", "step_at", "note", "article__id", "article__kicker", "article__headline")
        .order_by("-step_at")[:limit]
    )
    items += [QueueItem(c.article, "", c.step_at, c.note, change_of_live=True) for c in copies]
    return items


def at(moment):
    """ "24.12.2026 um 10:30 Uhr", Berlin time."""
    local = timezone.localtime(moment)
    return _("%(date)s um %(time)s Uhr") % {
        "date": local.strftime("%d.%m.%Y"),
        "time": local.strftime("%H:%M"),
    }


def tell(action, article, actor, note, url, submitter=None, change_of_live=False):
    """Mail whom a step concerns (through the outbox): the Chefredaktion when something is
    submitted, the submitter when it comes back or goes live. Returns the addresses."""
    from portal.lib.outbox import queue_mail

    title = article.title
    who = _name(actor)
    what = _("die Änderung am veröffentlichten Artikel") if change_of_live else _("den Artikel")
    if action == SUBMIT:
        recipients = [u.email for u in publishers().exclude(pk=actor.pk)]
        subject = _("Zur Prüfung: %(title)s") % {"title": title}
        first = _("%(who)s hat %(what)s „%(title)s“ zur Prüfung eingereicht.")
    elif action == RETURN:
        recipients = [submitter.email] if submitter and submitter.email else []
        subject = _("Zurück an die Redaktion: %(title)s") % {"title": title}
        first = _("%(who)s hat %(what)s „%(title)s“ an die Redaktion zurückgegeben.")
    elif action == PUBLISH and submitter is not None and submitter.email:
        recipients = [submitter.email]
        if article.is_scheduled:
            subject = _("Geplant: %(title)s") % {"title": title}
            first = _("%(who)s hat %(what)s „%(title)s“ freigegeben; er erscheint am %(when)s.")
        else:
            subject = _("Veröffentlicht: %(title)s") % {"title": title}
            first = _("%(who)s hat %(what)s „%(title)s“ veröffentlicht.")
    else:
        return []
    recipients = [address for address in recipients if address and address != actor.email]
    lines = [
        _("Guten Tag,"),
        "",
        first % {"who": who, "what": what, "title": title, "when": at(article.publish_at)},
    ]
    if note:
        lines += ["", _("Hinweis:"), note]
    lines += ["", _("Im Redaktionssystem öffnen:"), url, ""]
    text = "\n".join(str(line) for line in lines)
    for address in recipients:
        queue_mail(
            address, str(subject), text, purpose=f"Redaktion: {Step(STEP_OF[action]).label}"
        )
    return recipients


def with_working_copy(article):
    """The article as its working copy would make it, for the preview (nothing is saved).

    ``article`` comes from ArticleQuerySet.for_page(): its tags and links are
    rows, replaced here by the copy's.
    """
    from articles.revisions import apply_snapshot
    from articles.tags import Tag
    from portal.lib.text import german_slugify

    copy = working_copy_of(article) if uses_working_copy(article) else None
    if copy is None:
        return article
    apply_snapshot(article, copy.data, skip={"status", "slug"})
    for name in ("section", "lead_image", "author"):  # joined by for_page(): read anew
        Article._meta.get_field(name).delete_cached_value(article)
    known = {t.name.lower(): t for t in Tag.objects.filter(name__in=copy.data["tags"])}
    article.tag_rows = [
        {"pk": tag.pk, "name": tag.name, "slug": tag.slug}
        for tag in (
            known.get(n.lower()) or Tag(name=n, slug=german_slugify(n) or "stichwort")
            for n in copy.data["tags"]
        )
    ]
    article.link_rows = [
        {"pk": None, "label": label, "url": url, "position": n}
        for n, (label, url) in enumerate(copy.data["links"])
    ]
    article.draft_of_change = True
    return article
