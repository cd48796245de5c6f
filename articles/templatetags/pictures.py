from django import template

register = template.Library()

# How wide a picture is shown, for the browser to pick a rendition (CSS in portal.css).
SIZES = {
    "article": "(max-width: 56rem) calc(100vw - 2rem), 46rem",
    "teaser": "(max-width: 36rem) calc(100vw - 2rem), 12rem",
    "lead": "(max-width: 56rem) calc(100vw - 2rem), 46rem",
    "body": "(max-width: 56rem) calc(100vw - 2rem), 46rem",
}


@register.inclusion_tag("includes/picture.html")
def picture(image, use="article", lazy=True):
    """<picture> with WebP and JPEG/PNG renditions, sized for where it is shown."""
    return {"image": image, "sizes": SIZES[use], "lazy": lazy}
