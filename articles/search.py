"""Full-text search over articles (PostgreSQL, german configuration)."""

import datetime
import math
import re
from dataclasses import dataclass, field
from html import unescape

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
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


# A prefix that begins more indexed words than this stays a prefix: naming
# them all would cost the index more than reading the prefix.
MAX_SPELLED_OUT = 64
# An operand of a tsquery as PostgreSQL prints it, or an operator.
_TSQUERY_TOKEN = re.compile(r"'((?:[^'\\]|'')*)'(:\*)?|<->|[&|!()]|\s+")


def spelled_out(query, queryset):
    """``query`` with each prefix ("registermodernis:*") written as the indexed
    words it begins, and each hyphenated compound's phrase as the compound.

    Both find the same articles (the prefix, by definition; a compound such
    as "smart-city-plattform" is indexed only where its parts follow it), but
    the index narrows words named one by one by date and section as it reads
    them, while a prefix or a phrase of common parts ("smart", "city") is
    read whole: 13 ms against 1 ms at 200,000 articles. The words come from
    the vocabulary (migrations 0023, 0024), in one small query. Anything the query
    holds beyond plain operands, & | ! <-> and parentheses is left as it is.
    """
    compiler = queryset.query.get_compiler(connection=connection)
    sql, params = query.resolve_expression(queryset.query).as_sql(compiler, connection)
    with connection.cursor() as cursor:
        # The limit thrice: the vocabulary's words, the newest ones, both together.
        cursor.execute(_SPELLED_OUT.format(query=sql), [*params, *[MAX_SPELLED_OUT + 1] * 3])
        rows = cursor.fetchall()
    tokens = _tokens(rows[0][0])
    if tokens is None:
        return query
    # (An operand printed with doubled quotes is not looked up: it stays a prefix.)
    words = {prefix: spelled for _printed, prefix, spelled in rows if prefix}
    return RawTsQuery(" ".join(_spell(tokens, words)))


# The query as PostgreSQL prints it and, for each prefix in it, the indexed
# words that begin with it, at most %s of them. In "C" order every word that
# begins with p lies from p up to p followed by the last character.
_SPELLED_OUT = r"""
WITH q AS (SELECT ({query})::text AS printed),
prefixes AS (
    SELECT DISTINCT m[1] AS p FROM q, regexp_matches(q.printed, '''([^''\\]+)'':\*', 'g') AS m
)
SELECT q.printed, prefixes.p, ARRAY(
    SELECT lexeme FROM (
        (SELECT lexeme FROM articles_searchword
         WHERE lexeme >= prefixes.p AND lexeme < prefixes.p || chr(1114111)
         ORDER BY lexeme LIMIT %s)
        UNION
        (SELECT DISTINCT lexeme FROM articles_searchword_new
         WHERE lexeme >= prefixes.p AND lexeme < prefixes.p || chr(1114111)
         ORDER BY lexeme LIMIT %s)
    ) AS words ORDER BY lexeme LIMIT %s
) FROM q LEFT JOIN prefixes ON true
"""


def _tokens(printed):
    """(operand, is a prefix) and (operator, None); None if anything else is there."""
    tokens, position = [], 0
    while position < len(printed):
        match = _TSQUERY_TOKEN.match(printed, position)
        if not match:
            return None
        position = match.end()
        if match.group(1) is not None:
            tokens.append((match.group(1), bool(match.group(2))))
        elif not match.group().isspace():
            tokens.append((match.group(), None))
    return tokens


def _spell(tokens, words):
    """The tsquery text for ``tokens``, prefixes spelled out, compounds' phrases shortened."""
    out, index = [], 0
    while index < len(tokens):
        word, prefix = tokens[index]
        if prefix is None:  # an operator
            out.append(word)
            index += 1
            continue
        # A compound and its parts, as "a-b" is parsed: 'a-b' <-> 'a' <-> 'b',
        # and nothing after it in the phrase (that would follow the last part).
        parts = word.count("-") + 1
        chain = tokens[index + 1 : index + 1 + 2 * parts]
        if (
            not prefix
            and parts > 1
            and len(chain) == 2 * parts
            and all(t == ("<->", None) for t in chain[0::2])
            and all(p is False for _w, p in chain[1::2])
            and tokens[index + 1 + 2 * parts : index + 2 + 2 * parts] != [("<->", None)]
        ):
            out.append(f"'{word}'")
            index += 1 + 2 * parts
            continue
        spelled = words.get(word, [])
        if prefix and 0 < len(spelled) <= MAX_SPELLED_OUT:
            out.append("(" + " | ".join(_quoted(w) for w in spelled) + ")")
        else:
            out.append(f"'{word}'" + (":*" if prefix else ""))
        index += 1
    return out


def _quoted(word):
    """An indexed word as a tsquery operand."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


class RawTsQuery(SearchQuery):
    """A tsquery written out as PostgreSQL prints it, taken as it is."""

    def __init__(self, printed):
        super().__init__(printed, search_type="raw")
        self.printed = printed

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
    query = spelled_out(build_query(text), queryset)
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
    for window, _start, end in stretches(since, until, lambda: len(rows), limit):
        if window is not None:
            # The month words are the cut; the same cut on publish_at as well
            # made PostgreSQL also read the date index for all those months
            # (7 of 20 ms for two years). Past ``until`` the queryset sees nothing.
            stretch = matches.filter(search_facets=window)
        else:
            stretch = matches.filter(publish_at__lt=end) if end is not None else matches
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
    them in the index and makes the cut exact (each month is one word), so
    no row is read twice; ``from`` and ``before`` say where that is. Each
    stretch reaches as far back as the rate of matches so far (``found()``
    of them) says the rest needs. A stretch that reaches ``since`` is the
    last: nothing is older.
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
    # Asked once for the page (an InitPlan), not once per article and field:
    # to_tsquery on every row cost 4 of 10 ms for twenty results.
    query = Func(build_query(text, highlighting=True), template="(SELECT %(expressions)s)")
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
