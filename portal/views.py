"""The site's own pages: home, Impressum, legal texts, robots.txt, the 500 and CSRF pages."""

import sys
from itertools import groupby

from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.middleware import csrf
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from articles.models import Article, Section
from portal.lib.pagecache import reader_page
from portal.lib.posts import cross_site
from portal.models import LegalText, Publisher

PER_SECTION = 3


@reader_page(topics=("front", "pictures"))
def home(request):
    """Lead story, the latest items of every section, and the site-wide latest list."""
    visible = Article.objects.published().for_listing()
    lead = visible.filter(featured=True).first() or visible.first()
    sections = list(Section.objects.all())

    # The newest items of each section in two queries, however many sections:
    # one UNION of small per-section index scans for the ids, one fetch.
    picks = [
        Article.objects.published()
        .filter(section=section)
        .exclude(pk=getattr(lead, "pk", None))
        .order_by("-publish_at", "-id")
        .values_list("pk", flat=True)[:PER_SECTION]
        for section in sections
    ]
    ids = list(picks[0].union(*picks[1:], all=True)) if picks else []
    items = visible.filter(pk__in=ids).order_by("section__position", "section_id", "-publish_at")
    by_section = {key: list(group) for key, group in groupby(items, key=lambda a: a.section_id)}
    blocks = [
        (section, by_section[section.pk]) for section in sections if section.pk in by_section
    ]
    context = {"lead": lead, "section_blocks": blocks}
    return render(request, "portal/home.html", context)


def server_error(request):
    """500, or 503 with a retry hint while the database is unreachable (restart, failover).

    Both pages are rendered without a request context: no database needed.
    """
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "10"
        return response
    return HttpResponseServerError(render_to_string("500.html"))


# What a CSRF failure page repeats of the form: never a password, nor our own hidden fields.
_NOT_REPEATED = ("pass", "token", "secret", "submission")
# Chosen, not typed (an offer, a tick): the form offers them again as they were.
_CHOSEN = {"plan", "terms", "consent"}
# The fields of the public forms by the words the forms use; any other by its name.
_LABELS = {
    "name": _("Name"),
    "organisation": _("Behörde oder Organisation"),
    "email": _("E-Mail-Adresse"),
    "street": _("Straße und Hausnummer"),
    "postcode": _("PLZ"),
    "city": _("Ort"),
    "username": _("Benutzername"),
}
_FROM_ANOTHER_SITE = _(
    "Das Formular wurde von einer anderen Website aus an uns geschickt, nicht von unserer "
    "eigenen Seite. Zu Ihrem Schutz nehmen wir so etwas nicht an."
)
_NO_COOKIE = _(
    "Dieses Formular braucht zu Ihrem Schutz vor gefälschten Anfragen ein Cookie, und Ihr "
    "Browser hat es nicht mitgeschickt; vermutlich blockiert er Cookies für diese Website. "
    "Erlauben Sie Cookies für diese Website und senden Sie das Formular noch einmal ab."
)
_NO_REFERER = _(
    "Ihr Browser hat nicht mitgeteilt, von welcher Seite das Formular kam (die Angabe "
    "„Referer“). Zu Ihrem Schutz braucht dieses Formular sie; bitte erlauben Sie sie für "
    "diese Website und senden Sie das Formular noch einmal ab."
)
_STALE = _(
    "Das Formular war wohl zu lange geöffnet, oder Sie haben sich inzwischen in einem "
    "anderen Fenster an- oder abgemeldet. Öffnen Sie das Formular neu und senden Sie es "
    "noch einmal ab."
)


@never_cache
def csrf_failure(request, reason=""):
    """A form that failed Django's CSRF check (settings.CSRF_FAILURE_VIEW): why, in German.

    Nothing was stored; the page says so, why (cookies blocked, a page left
    open too long, another site), and repeats what was typed, so the reader
    can copy it into the form again. Not what another site sent, though:
    our page must not show a stranger's text as if the reader had typed it.
    The Kündigung and Widerruf forms never get here: they need no cookie
    (subscriptions.forgery).
    """
    unreadable_referer = reason in (
        csrf.REASON_NO_REFERER,
        csrf.REASON_MALFORMED_REFERER,
        csrf.REASON_INSECURE_REFERER,
    )
    # Django's reasons name a foreign Origin or Referer as "… checking failed - <it> …".
    elsewhere = cross_site(request) or (
        reason.startswith(("Origin checking failed", "Referer checking failed"))
        and not unreadable_referer
    )
    if elsewhere:
        why = _FROM_ANOTHER_SITE
    elif reason == csrf.REASON_NO_CSRF_COOKIE:
        why = _NO_COOKIE
    elif unreadable_referer:
        why = _NO_REFERER
    else:
        why = _STALE
    context = {
        "why": why,
        "typed": [] if elsewhere else _typed(request.POST),
        "files": [] if elsewhere else [f.name for f in request.FILES.values()],
        "back": request.get_full_path(),
    }
    return render(request, "403_csrf.html", context, status=403)


def _typed(data):
    """(label, value) for each field a person typed into, in the form's order."""
    typed = []
    for name, values in data.lists():
        # "on" is what a ticked checkbox sends.
        shown = [value for value in values if value.strip() and value != "on"]
        if (
            not shown
            or name in _CHOSEN
            or name.startswith("_")
            or any(part in name.lower() for part in _NOT_REPEATED)
        ):
            continue
        typed.append((_LABELS.get(name, name), "\n".join(shown)))
    return typed


@reader_page(topics=("site",))
def impressum(request):
    """The Impressum from the back office's structured fields."""
    publisher = Publisher.objects.first()
    if publisher is None:
        raise Http404
    return render(request, "portal/impressum.html", {"publisher": publisher})


def _legal_topics(kind):
    # The AGB show every offer's terms (subscriptions.conditions): a plan's change renews them.
    return ("site", "plans") if kind == LegalText.Kind.TERMS else ("site",)


@reader_page(topics=_legal_topics)
def legal(request, kind):
    """Datenschutzerklärung, Erklärung zur Barrierefreiheit, AGB (with the offers' terms)."""
    text = get_object_or_404(LegalText, kind=kind)
    return render(request, "portal/legal.html", {"text": text})


def robots_txt(request):
    """For crawlers: what to leave alone, and where the sitemaps are."""
    base = request.build_absolute_uri("/").rstrip("/")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /vorschau/",
        "Disallow: /suche/",
        # Ad frames and click counting are for people; robots would only inflate the figures.
        "Disallow: /anzeige/",
        f"Sitemap: {base}{reverse('sitemap-index')}",
        f"Sitemap: {base}{reverse('articles:sitemap-news')}",
    ]
    return render(
        request, "portal/robots.txt", {"lines": lines}, content_type="text/plain; charset=utf-8"
    )
