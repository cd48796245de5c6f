"""The {% articles_about %} tag: our articles about an IT-Guide vendor, for its profile."""

from django import template

from articles.models import Article
from articles.search import search

register = template.Library()

VENDOR_ARTICLES = 10


@register.simple_tag
def articles_about(vendor, limit=VENDOR_ARTICLES):
    """Visible articles linked to the IT-Guide vendor or naming it, newest first.

    Linked: the editors chose the vendor on the article. Naming: the vendor's
    name without its legal form ("con terra", not "con terra GmbH") as a
    phrase in the text. A bounded number of queries, however many there are.
    """
    visible = Article.objects.published()
    linked = visible.filter(vendors=vendor).order_by("-publish_at").values_list("pk", flat=True)
    phrase = '"{}"'.format(vendor.mention_name.replace('"', " "))
    named = search(visible, phrase, by_date=True, limit=limit).ids
    ids = {*linked[:limit], *named}
    return list(visible.for_listing().filter(pk__in=ids).order_by("-publish_at", "-id")[:limit])
