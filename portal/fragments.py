"""The frame of every reader page: navigation and footer, as fragments of the page cache.

Kept once per variant in each process (portal.lib.pagecache) instead of
being rendered into every page: a page the cache does not have yet renders
only its own content.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from articles.models import Section


def site_nav(request, current_section_slug, directory_page, section_pk):
    """The sections, Archiv and IT-Guide; the current one marked (topic ``sections``)."""
    context = {
        "nav_sections": Section.objects.only("name", "slug"),
        "current_section_slug": current_section_slug,
        "directory_page": directory_page,
        "section": section_pk,
    }
    return render_to_string("includes/site_nav.html", context)


def site_footer(request):
    """Service and legal links, the contract buttons, the year."""
    return render_to_string("includes/site_footer.html", {"portal_name": settings.PORTAL_NAME})


def this_year():
    return timezone.localdate().year
