"""Full-text search over articles (PostgreSQL, german configuration)."""

import datetime
import math
import re
from dataclasses import dataclass, field
from html import unescape

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import F, FloatField, Func, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

# A word as people type it, also hyphenated as German compounds are ("E-Akte").
_PLAIN_WORD = re.compile(r"^[^\W_]+(?:-[^\W_]+)*$")
# Marks around highlighted words that cannot occur in text (Unicode private use).
_START, _STOP = "\ue000", "\ue001"
# The longest query we take; longer ones are refused with a message.
MAX_QUERY_LENGTH = 200
# A search returns at most this many articles, the newest matches: common
# words match most of the archive, and ranking all of them would cost hundreds
# of milliseconds. Older ones are reached by narrowing (date range, section).
RESULT_LIMIT = 500
# Where the newest matches are looked for: the last FIRST_MONTHS months
# first, then further back, each stretch as far as the matches found so far
# suggest is needed (with HEADROOM), at most MAX_STRETCHES times, then all
# that is older. Each stretch is one GIN scan over the words and the facets
# (Article.search_facets) and reads only the rows it matches, so a word in
# half the archive costs a few hundred rows, not a hundred thousand.
FIRST_MONTHS = 3
# Nothing is older: the search form takes no earlier date.
EARLIEST = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
HEADROOM = 1.5
MAX_STRETCHES = 4


def facets(*words):
    """A query on Article.search_facets: all of these words ("s3", "t12")."""
    return SearchQuery(" & ".join(words), search_type="raw", config="simple")


def build_query(text, highlighting=False):
    """A tsquery for what a person typed.

    Plain words are all required and the last one also matches as a prefix,
    so "Digitalis" finds "Digitalisierung" and "Cloud-Strat" finds
    "Cloud-Strategie". Anything with
    operators (quotes, OR, -word) goes to websearch_to_tsquery, which reads
    them as people expect and never fails on odd punctuation.
    """
    words = text.split()
    if words and all(_PLAIN_WORD.match(w) and w.lower() != "or" for w in words):
        *first, last = words
        if "-" not in last:
            raw = " & ".join([*first, f"{last}:*"])
            return SearchQuery(raw, search_type="raw", config="german")
        # A hyphenated compound is indexed whole ("cloud-strategi") and in its
        # parts. Typed out, it is found as a phrase; begun ("Cloud-Strat"), by
        # the beginning of the whole. (A prefix on every part, cloud:* <->
        # strat:*, would read a good part of the index for "Schul-IT"; for
        # marking the words of twenty results it is right, as ts_headline
        # marks the parts, not the whole.)
        if highlighting:
            *parts, end = last.split("-")
            phrase = "(" + " <-> ".join([*parts, f"{end}:*"]) + ")"
            return SearchQuery(" & ".join([*first, phrase]), search_type="raw", config="german")
        query = SearchQuery(last, search_type="websearch", config="german")
        if _COMPOUND.match(last):
            query |= LexemeQuery(_as_stemmed(last))
        if first:
            query = SearchQuery(" & ".join(first), search_type="raw", config="german") & query
        return query
    return SearchQuery(text, search_type="websearch", config="german")


# Compounds whose beginning we can spell as the german stemmer writes it.
_COMPOUND = re.compile(r"^[a-zäöüß0-9]+(?:-[a-zäöüß0-9]+)+$", re.IGNORECASE)


def _as_stemmed(word):
    """The beginning of a compound as the german stemmer writes it: "Bürger-S" -> "burger-s"."""
    return word.lower().translate(str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"}))


class LexemeQuery(SearchQuery):
    """Indexed words that begin with ``prefix``, taken as it is, not split at hyphens."""

    def __init__(self, prefix):
        super().__init__(f"'{prefix}':*", search_type="raw")

    def as_sql(self, compiler, connection, function=None, template=None):
        return super().as_sql(compiler, connection, template="%(expressions)s::tsquery")


@dataclass
class Found:
    """What a search found: article ids in the order to show, and whether that is all."""

    ids: list = field(default_factory=list)
    complete: bool = True


def search(queryset, text, by_date=False, since=None, until=None, limit=None):
    """The newest ``limit`` (RESULT_LIMIT) articles of ``queryset`` matching ``text``.

    Ordered by relevance, or newest first with ``by_date``. Relevance is
    ts_rank over the weighted vector (kicker and headline A, teaser and tags
    B, body D), gently raised for recent articles: today's count half again
    as much, a year-old one a quarter, older ones barely more. ``since`` and
    ``until`` are the date range the queryset is already limited to, if any;
    they save looking where nothing can be found.
    """
    query = build_query(text)
    matches = queryset.filter(search_vector=query)
    if not by_date:
        age_in_years = RawSQL(
            "GREATEST(EXTRACT(EPOCH FROM now() - articles_article.publish_at), 0) / 31557600",
            [],
        )
        boost = Value(1.0) + Value(0.5) / (Value(1.0) + age_in_years)
        score = Func(
            SearchRank(F("search_vector"), query), boost, function="", arg_joiner=" * ",
            output_field=FloatField(),
        )  # fmt: skip
        matches = matches.annotate(score=score)
    fields = ["pk", "publish_at"] + ([] if by_date else ["score"])
    limit = limit or RESULT_LIMIT
    now = timezone.now()
    until = min(until, now) if until else now
    rows = []
    for window, start, end in stretches(since, until, lambda: len(rows), limit):
        stretch = matches if window is None else matches.filter(search_facets=window)
        if start is not None:
            stretch = stretch.filter(publish_at__gte=start)
        if end is not None:
            stretch = stretch.filter(publish_at__lt=end)
        wanted = limit + 1 - len(rows)
        rows.extend(stretch.order_by("-publish_at", "-pk").values_list(*fields)[:wanted])
        if len(rows) > limit:
            break
    complete = len(rows) <= limit
    rows = rows[:limit]
    if not by_date:
        rows.sort(key=lambda row: row[2], reverse=True)  # stable: newest first among equals
    return Found(ids=[row[0] for row in rows], complete=complete)


def stretches(since, until, found, limit):
    """Where to look, newest first: (facet query or None for all, from, before).

    Months of publication (UTC) back from ``until``: the facet query finds
    them in the index, ``from`` and ``before`` make the cut exact, so no row
    is read twice. Each stretch reaches as far back as the rate of matches
    so far (``found()`` of them) says the rest needs. A stretch that reaches
    ``since`` is the last: nothing is older.
    """
    until = until.astimezone(datetime.UTC)
    floor = _months_before(since.astimezone(datetime.UTC), 0) if since else EARLIEST
    start, newer = max(_months_before(until, FIRST_MONTHS - 1), floor), None
    for _ in range(MAX_STRETCHES):
        if start <= EARLIEST and since is None:
            break  # the rest at once
        yield (
            _period_query(start, newer or until + datetime.timedelta(microseconds=1)),
            start,
            newer,
        )
        if start <= floor:
            return
        months = (until.year - start.year) * 12 + until.month - start.month + 1
        so_far = found()
        more = months * 7 if not so_far else (limit + 1 - so_far) * months / so_far
        newer, start = start, max(_months_before(start, math.ceil(more * HEADROOM)), floor)
    yield None, None, newer


def _months_before(moment, count):
    """The first of the month ``count`` months before that of ``moment`` (1900 at the earliest)."""
    index = max(moment.year * 12 + moment.month - 1 - count, EARLIEST.year * 12)
    return datetime.datetime(index // 12, index % 12 + 1, 1, tzinfo=datetime.UTC)


def _period_query(start, end):
    """Published from ``start`` (first of a month) to before ``end``: year words
    for whole years, month words for the rest ("m202511 | m202512 | y2026")."""
    last = end - datetime.timedelta(microseconds=1)
    words, year, month = [], start.year, start.month
    while (year, month) <= (last.year, last.month):
        if month == 1 and (year < last.year or last.month == 12):
            words.append(f"y{year}")
            year += 1
        else:
            words.append(f"m{year}{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return SearchQuery(" | ".join(words), search_type="raw", config="simple")


def with_highlights(articles, text):
    """Give each article of a result page ``title_html`` and ``snippet_html``.

    One query for the page. PostgreSQL marks the matches (ts_headline); the
    text around them is escaped here, so only our <mark> reaches the page.
    """
    query = build_query(text, highlighting=True)
    # The teaser is plain text (a "<" in it is text); only the body is HTML.
    body_text = Func(
        F("body"),
        Value("<[^>]+>"),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )
    # ts_headline drops anything that looks like a tag, so the teaser's own
    # "<", ">" and "&" go in as entities; highlight() turns them back.
    plain_body = Concat(as_entities(F("teaser")), Value(" "), body_text, output_field=TextField())
    marks = {"start_sel": _START, "stop_sel": _STOP, "config": "german"}
    rows = (
        type(articles[0])
        .objects.filter(pk__in=[a.pk for a in articles])
        .annotate(
            title_marked=SearchHeadline(
                as_entities(
                    Concat(F("kicker"), Value(": "), F("headline"), output_field=TextField())
                ),
                query,
                highlight_all=True,
                **marks,
            ),
            snippet_marked=SearchHeadline(
                plain_body,
                query,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
                **marks,
            ),
        )
        .values_list("pk", "title_marked", "snippet_marked")
    ) if articles else []  # fmt: skip
    marked = {pk: (title, snippet) for pk, title, snippet in rows}
    for article in articles:
        title, snippet = marked.get(article.pk, (article.title, article.teaser))
        if not article.kicker:
            title = title.removeprefix(": ")
        article.title_html = highlight(title)
        article.snippet_html = highlight(snippet)
    return articles


def as_entities(text):
    """Plain text with "&", "<", ">" as entities, so ts_headline keeps them as text."""
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        text = Func(text, Value(char), Value(entity), function="replace", output_field=TextField())
    return text


def highlight(marked):
    """Escape everything but our marks, which become <mark>."""
    text = escape(" ".join(unescape(marked).split()))
    return mark_safe(text.replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308
