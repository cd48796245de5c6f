"""The {% picture %} tag: an article picture with its renditions for srcset."""

from django import template

from portal.lib.images import SIZES

register = template.Library()

# Where lists show the 3:2 crop around the focal point rather than the whole picture.
CROPPED_USES = {"teaser"}


@register.inclusion_tag("includes/picture.html")
def picture(image, use="article", lazy=True):
    """<picture> with WebP and JPEG/PNG renditions, sized for where it is shown."""
    return {"image": image, "sizes": SIZES[use], "lazy": lazy, "crop": use in CROPPED_USES}


@register.filter
def picture_sources(image, crop=False):
    return image.sources(crop=bool(crop))
