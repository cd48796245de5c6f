"""Full-text search queries over articles (PostgreSQL, german configuration)."""

import re

from django.contrib.postgres.search import SearchQuery

_PLAIN_WORD = re.compile(r"^[^\W_]+$")


def build_query(text):
    """A tsquery for what a person typed.

    Plain words are all required and the last one also matches as a prefix,
    so "Digitalis" finds "Digitalisierung" while typing. Anything with
    operators (quotes, OR, -word) goes to websearch_to_tsquery, which reads
    them as people expect and never fails on odd punctuation.
    """
    words = text.split()
    if words and all(_PLAIN_WORD.match(w) and w.lower() != "or" for w in words):
        raw = " & ".join([*words[:-1], f"{words[-1]}:*"])
        return SearchQuery(raw, search_type="raw", config="german")
    return SearchQuery(text, search_type="websearch", config="german")
