"""What every page's frame shows: the portal's name and the page's own address."""

from django.conf import settings
from django.core.exceptions import DisallowedHost


def site(request):
    """What every reader page shows around its content.

    The navigation and the footer are fragments (portal.fragments).
    """
    page = request.GET.get("page", "")
    try:
        canonical = request.build_absolute_uri(request.path)
    except DisallowedHost:
        # The 400 page for a request to a host we do not serve: no address of ours to name.
        canonical = request.path
    if page.isascii() and page.isdigit() and int(page) > 1:
        canonical += f"?page={int(page)}"
    return {
        "canonical_url": canonical,
        "portal_name": settings.PORTAL_NAME,
        "portal_claim": settings.PORTAL_CLAIM,
    }
