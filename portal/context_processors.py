"""What every page's frame shows: the navigation and the page's own address."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from articles.models import Section
from portal.lib.pagecache import remembered, topic_versions


def navigation():
    return list(Section.objects.only("name", "slug"))


def site(request):
    """What every reader page shows around its content.

    Lazy: a page that does not show the navigation (the admin, say) runs no
    query for it, and a warm process none at all while the sections are the same.
    """
    page = request.GET.get("page", "")
    canonical = request.build_absolute_uri(request.path)
    if page.isascii() and page.isdigit() and int(page) > 1:
        canonical += f"?page={int(page)}"
    return {
        # Keys the navigation (base.html): it changes with the sections.
        "nav_version": SimpleLazyObject(lambda: topic_versions(request, ["sections"])),
        "canonical_url": canonical,
        "portal_name": settings.PORTAL_NAME,
        "portal_claim": settings.PORTAL_CLAIM,
        "nav_sections": SimpleLazyObject(
            lambda: remembered(request, ["sections"], "nav", navigation)
        ),
    }
