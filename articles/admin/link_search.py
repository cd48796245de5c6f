"""Our own articles for the editor's link dialog: a small JSON search in the back office."""

import re

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import JsonResponse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _

from articles.models import Article
from articles.search import MAX_QUERY_LENGTH, build_query, spelled_out

# A dialog lists a handful; the editor narrows by typing more.
RESULTS = 10


def article_link_search(model_admin, request):
    """Articles matching ?q= as JSON rows: headline, date, address, and whether readers see it.

    For people who may view articles in the back office (admin_view sends
    everyone else to the login). Newest first, drafts without a date last;
    drafts and scheduled ones are marked, as readers cannot open them yet
    (linking the article that goes live with this one is daily work). One
    query however many match: the full-text index finds them, as in the
    article list's search, and a number finds that article.
    """
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    text = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    if len(text) < 2 and not text.isdigit():
        return JsonResponse({"results": []})
    articles = Article.objects.only("pk", "slug", "kicker", "headline", "status", "publish_at")
    if re.fullmatch(r"[0-9]{1,18}", text):
        matches = articles.filter(pk=int(text))
    else:
        matches = articles.filter(search_vector=spelled_out(build_query(text), articles))
    matches = matches.order_by(F("publish_at").desc(nulls_last=True), "-pk")[:RESULTS]
    return JsonResponse({"results": [row(request, article) for article in matches]})


def row(request, article):
    now = timezone.now()
    if article.is_visible:
        note = ""
    elif article.status == Article.Status.PUBLISHED and article.publish_at > now:
        note = _("geplant")
    else:
        note = _("noch nicht veröffentlicht: %(status)s") % {
            "status": article.get_status_display()
        }
    when = article.publish_at and timezone.localtime(article.publish_at)
    return {
        "id": article.pk,
        "title": article.title,
        "date": format_date(when, "j.n.Y") if when else "",
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "published": article.is_visible,
        "note": note,
    }
