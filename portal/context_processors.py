"""What every page's frame shows: the portal's name and the page's own address."""

from django.conf import settings


def site(request):
    """What every reader page shows around its content.

    The navigation and the footer are fragments (portal.fragments).
    """
    page = request.GET.get("page", "")
    canonical = request.build_absolute_uri(request.path)
    if page.isascii() and page.isdigit() and int(page) > 1:
        canonical += f"?page={int(page)}"
    return {
        "canonical_url": canonical,
        "portal_name": settings.PORTAL_NAME,
        "portal_claim": settings.PORTAL_CLAIM,
    }
