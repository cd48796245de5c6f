"""Template filters for the print view and the PDF's stylesheet."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

_SPECIAL = set("\\\"<>&'")


@register.filter
def css_string(value):
    """Text for a CSS string ("..." in a <style>): quotes, backslashes, markup characters
    and control characters become CSS hex escapes, so nothing ends the string or the
    style element."""
    escaped = "".join(
        f"\\{ord(char):x} " if char in _SPECIAL or ord(char) < 0x20 else char
        for char in str(value)
    )
    return mark_safe(escaped)  # noqa: S308 - every character that could break out is escaped
