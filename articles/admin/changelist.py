"""The article list of the back office: its status filter, its columns, the last change per row.

Every column is read from the page's one query (section, author and lead
picture joined) plus one query for the last revisions of the rows shown,
however many rows there are: the list stays the same cost at 200,000 articles.
"""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Revision


class StatusFilter(admin.SimpleListFilter):
    """The status as the list's badge shows it: "Geplant" apart from "Veröffentlicht".

    Both read the partial index of published articles by publish time
    (article_published_idx), from now upwards or downwards.
    """

    title = _("Status")
    parameter_name = "status"
    SCHEDULED = "scheduled"

    def lookups(self, request, model_admin):
        return [
            (Article.Status.DRAFT, _("Entwurf")),
            (Article.Status.REVIEW, _("In Prüfung")),
            (self.SCHEDULED, _("Geplant")),
            (Article.Status.PUBLISHED, _("Veröffentlicht")),
            (Article.Status.UNPUBLISHED, _("Zurückgezogen")),
        ]

    def queryset(self, request, queryset):
        value, now = self.value(), timezone.now()
        if value == self.SCHEDULED:
            return queryset.filter(status=Article.Status.PUBLISHED, publish_at__gt=now)
        if value == Article.Status.PUBLISHED:
            return queryset.published(at=now)
        if value in (Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.UNPUBLISHED):
            return queryset.filter(status=value)
        return queryset


def person(user):
    """How the newsroom names a colleague: full name, else the login name."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _when(moment):
    """ "22.05.2024 10:30" in Berlin time, the date and the time kept on a line each."""
    local = timezone.localtime(moment)
    return format_html(
        '<time datetime="{}">{} <span class="desk-time">{}</span></time>',
        local.isoformat(timespec="minutes"),
        date_format(local, "d.m.Y"),
        date_format(local, "H:i"),
    )


class ArticleChangeList(ChangeList):
    """The changelist with each shown article's last revision (who saved last), in one query."""

    def get_results(self, request):
        super().get_results(request)
        self.result_list = list(self.result_list)
        last = Revision.objects.select_related("user").only(
            "article", "number", "user__first_name", "user__last_name", "user__username"
        )[:1]  # per article: Revision orders by -number
        prefetch_related_objects(
            self.result_list, Prefetch("revisions", queryset=last, to_attr="last_revisions")
        )


class ArticleColumns:
    """The list's columns, for ArticleAdmin (list_display names these methods)."""

    @admin.display(description=_("Überschrift"), ordering="headline")
    def title_column(self, article):
        """Picture, kicker and headline, as the article's teaser shows them."""
        image = article.lead_image
        fallback = (image.renditions.get("fallback") or []) if image else []
        picture = (
            # The smallest rendition (480 px) of the picture readers see; never the
            # original. Decorative here: the headline beside it says what it is.
            format_html(
                '<img class="desk-thumb" src="{}" alt="" width="48" height="32" loading="lazy">',
                image.file.storage.url(fallback[0][1]),
            )
            if fallback
            else mark_safe('<span class="desk-thumb desk-thumb--none"></span>')
        )
        kicker = (
            format_html('<span class="desk-kicker">{}</span>', article.kicker)
            if article.kicker
            else ""
        )
        return format_html(
            '{}<span class="desk-title">{}<span class="desk-headline">{}</span></span>',
            picture,
            kicker,
            article.headline,
        )

    @admin.display(description=_("Bereich"))
    def section_column(self, article):
        return format_html(
            '{}<span class="desk-quiet">{}</span>',
            article.section.name,
            article.get_kind_display(),
        )

    @admin.display(description=_("Status"))
    def status_column(self, article):
        """The badge ("Geplant" for a future publish time) and where to see the article."""
        if article.is_scheduled:
            label, css = _("Geplant"), "scheduled"
        else:
            label, css = article.get_status_display(), article.status
        if article.is_visible:
            link = format_html(
                '<a href="{}" target="_blank" rel="noopener">{}</a>',
                article.get_absolute_url(),
                _("ansehen"),
            )
        else:
            link = format_html(
                '<a href="{}">{}</a>',
                self.preview_url(article),
                _("Vorschau"),
            )
        return format_html(
            '<span class="status status--{}">{}</span><span class="desk-quiet">{}</span>',
            css,
            label,
            link,
        )

    # A soft hyphen: the sortable head may break "Veröffent-lichung" instead of widening the list.
    @admin.display(description=_("Veröffent\u00adlichung"), ordering="publish_at")
    def publish_column(self, article):
        return _when(article.publish_at) if article.publish_at else "–"

    @admin.display(description=_("Autor"))
    def author_column(self, article):
        """The author's name, and the byline readers see under the text."""
        name = person(article.author) or "–"
        if article.byline:
            return format_html('{}<span class="desk-quiet">({})</span>', name, article.byline)
        return name

    @admin.display(description=_("Zuletzt geändert"))
    def changed_column(self, article):
        """When the article was last saved, and by whom (its last revision)."""
        revisions = getattr(article, "last_revisions", None) or [None]
        who = person(revisions[0].user) if revisions[0] else ""
        lines = [(_when(article.updated_at),)]
        if who:
            by = _("von %(name)s") % {"name": who}
            lines.append((format_html('<span class="desk-quiet">{}</span>', by),))
        return format_html_join("", "{}", lines)
