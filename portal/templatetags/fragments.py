"""The {% fragment %} tag: a part many pages share, put in by the page cache."""

from django import template

from portal.lib.pagecache import render_fragment

register = template.Library()


@register.simple_tag(takes_context=True)
def fragment(context, name, *args):
    """The registered fragment ``name`` for ``args``; a placeholder while a cached page renders."""
    return render_fragment(context.get("request"), name, args)
