"""The site's own pages: home, Impressum, legal texts, robots.txt, the 500 page."""

import sys
from itertools import groupby

from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse

from articles.models import Article, Section
from portal.lib.pagecache import reader_page
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
