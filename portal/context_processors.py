"""What every page's frame shows: navigation, latest items, the content version for fragments."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from articles.models import Article, Section
from portal.lib.pagecache import request_content_version

LATEST_COUNT = 8


def site(request):
    """What every reader page shows around its content.

    Querysets are lazy: a page that does not show the navigation or the
    "Aktuelle Meldungen" box (the admin, say) runs no query for them.
    """
    page = request.GET.get("page", "")
    canonical = request.build_absolute_uri(request.path)
    if page.isascii() and page.isdigit() and int(page) > 1:
        canonical += f"?page={int(page)}"
    return {
        # Keys the page fragments every page shares (base.html): it changes
        # with anything readers would see. A cached reader page has it already.
        "content_version": SimpleLazyObject(lambda: request_content_version(request)),
        "canonical_url": canonical,
        "portal_name": settings.PORTAL_NAME,
        "portal_claim": settings.PORTAL_CLAIM,
        "nav_sections": Section.objects.only("name", "slug"),
        "latest_articles": Article.objects.published().only(
            "pk", "slug", "kicker", "headline", "publish_at"
        )[:LATEST_COUNT],
    }
