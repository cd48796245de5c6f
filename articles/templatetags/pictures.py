"""The {% picture %} tag: an article picture with its renditions for srcset."""

from django import template

from portal.lib.images import SIZES

register = template.Library()


@register.inclusion_tag("includes/picture.html")
def picture(image, use="article", lazy=True):
    """<picture> with WebP and JPEG/PNG renditions, sized for where it is shown."""
    return {"image": image, "sizes": SIZES[use], "lazy": lazy}
