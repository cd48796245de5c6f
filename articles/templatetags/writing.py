"""The article body as readers see it (videos behind consent, scrolling tables) and on paper."""

from django import template

from articles import writing

register = template.Library()

register.filter("for_readers", writing.for_readers, is_safe=True)
register.filter("for_paper", writing.for_paper, is_safe=True)
