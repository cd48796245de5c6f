"""Template tags of ads: vendor logos."""

from django import template

register = template.Library()

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
