"""Template tags of ads: ad places, vendor logos and the IT-Guide Plus box."""

import time

from django import template
from django.conf import settings
from django.core.cache import cache
from django.db.models import TextField, Value
from django.db.models.functions import MD5, Cast, Concat

from ads.models import Vendor
from ads.placement import occupied_slots
from ads.slots import SLOTS
from portal.lib.pagecache import CACHE_SECONDS, request_content_version

register = template.Library()

# The IT-Guide Plus box shows this many Plus vendors, a new choice this often.
PLUS_COUNT = 3
PLUS_ROTATION_SECONDS = 15 * 60  # settings.ITGUIDE_PLUS_ROTATION_SECONDS, where set


@register.inclusion_tag("ads/ad_slot.html", takes_context=True)
def ad_slot(context, name):
    """The ad place ``name``, labelled "Anzeige", or nothing when no campaign runs there.

    The page holds only the frame; what it shows is drawn and counted when
    the frame loads (ads.views.slot), so a cached page still rotates its ads.
    """
    request = context.get("request")
    occupied = getattr(request, "_ads_occupied", None)
    if occupied is None:
        if request is not None:
            # The content version changes when a campaign starts or ends (ads.apps).
            version = request_content_version(request)
            occupied = cache.get_or_set(f"ads:occupied:{version}", occupied_slots, CACHE_SECONDS)
            request._ads_occupied = occupied
        else:
            occupied = occupied_slots()
    return {"slot": SLOTS[name] if name in occupied else None}


# How wide a logo is shown where it is used (the layout is in portal.css).
LOGO_SIZES = {"box": "7rem", "list": "8rem", "profile": "(max-width: 36rem) 60vw, 16rem"}


@register.inclusion_tag("ads/includes/logo.html")
def vendor_logo(vendor, use="list", alt=None):
    """The vendor's logo in its renditions; ``alt`` "" where the name stands next to it."""
    return {
        "vendor": vendor,
        "sizes": LOGO_SIZES[use],
        "alt": vendor.name if alt is None else alt,
        "fallback_srcset": vendor.logo_srcset("fallback"),
        "webp_srcset": vendor.logo_srcset("webp"),
    }


def plus_turn():
    """Which quarter of an hour it is: the Plus box's choice changes with it."""
    seconds = getattr(settings, "ITGUIDE_PLUS_ROTATION_SECONDS", PLUS_ROTATION_SECONDS)
    return int(time.time() // seconds)


@register.inclusion_tag("ads/plus_box.html", takes_context=True)
def itguide_plus(context):
    """A few IT-Guide Plus vendors, a different choice every quarter of an hour.

    The choice is the same for everyone within the quarter hour, so a cached
    page is right for as long as the cache keeps it. The choice itself is
    kept until the content version or the quarter hour changes (one query).
    """
    turn = plus_turn()
    request = context.get("request")
    if request is None:
        return {"vendors": plus_vendors(turn)}
    key = f"ads:plus:{request_content_version(request)}:{turn}"
    return {"vendors": cache.get_or_set(key, lambda: plus_vendors(turn), CACHE_SECONDS)}


def plus_vendors(turn):
    shuffled = MD5(Concat(Cast("id", TextField()), Value(str(turn))))
    vendors = (
        Vendor.objects.listed()
        .filter(plus=True)
        .only(
            "name",
            "slug",
            "postcode",
            "city",
            "logo",
            "logo_width",
            "logo_height",
            "logo_renditions",
        )
        .order_by(shuffled)[:PLUS_COUNT]
    )
    return list(vendors)
