"""The article page, its print view and PDF, and the preview of unpublished articles."""

import datetime
import threading
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import connections
from django.db.models.query import get_related_populators
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import content_disposition_header, http_date, quote_etag
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from articles.models import Article
from articles.review import with_working_copy
from portal.lib import pdf
from portal.lib.pagecache import CACHE_SECONDS, reader_page, topic_versions


class PageQuery:
    """The article page's query, built and compiled once per thread.

    Building and compiling it through the ORM cost a page that the cache
    does not have 1.5 ms of its 9; PostgreSQL answers it in a fraction of
    that. Only the article's id and the moment differ between requests: they
    are compiled as stand-ins and put in when it runs.
    """

    _PK = -424242
    _NOW = datetime.datetime(2000, 1, 1, 0, 0, 0, 424242, tzinfo=datetime.UTC)
    _threads = threading.local()

    def __init__(self):
        queryset = Article.objects.for_page().published(at=self._NOW).filter(pk=self._PK)
        self.compiler = queryset.query.get_compiler(using=queryset.db)
        self.sql, self.params = self.compiler.as_sql()
        select, klass_info = self.compiler.select, self.compiler.klass_info
        first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        self.fields = (first, last)
        self.init_list = [column[0].target.attname for column in select[first:last]]
        self.populators = get_related_populators(klass_info, select, queryset.db)
        self.db = queryset.db

    @classmethod
    def visible(cls, pk):
        """The visible article ``pk`` with all the page shows of it, or None."""
        query = getattr(cls._threads, "query", None)
        if query is None:
            query = cls._threads.query = cls()
        return query.run(pk, timezone.now())

    def run(self, pk, now):
        params = [
            pk if value == self._PK else now if value == self._NOW else value
            for value in self.params
        ]
        with connections[self.db].cursor() as cursor:
            cursor.execute(self.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        (row,) = self.compiler.results_iter([[row]])
        first, last = self.fields
        article = Article.from_db(self.db, self.init_list, row[first:last])
        for populator in self.populators:
            populator.populate(row, article)
        for name, position in self.compiler.annotation_col_map.items():
            setattr(article, name, row[position])
        return article


def article_page_context(request, article):
    """What the article page shows around the article; the preview shows the same."""
    url = request.build_absolute_uri(article.get_absolute_url())
    subject = _("Artikel-Empfehlung: %(title)s") % {"title": article.title}
    # The picture for shared links (og:image) and search engines: the social
    # picture, else the lead picture (articles.writing.SearchAndSocial).
    picture = article.social_picture
    image_url = request.build_absolute_uri(picture.print_src) if picture else ""
    return {
        "article": article,
        "article_url": url,
        "lead_image_url": image_url,
        "json_ld": news_article_data(request, article, url, image_url),
        "current_section_slug": article.section.slug,
        # RFC 6068: percent-encoded UTF-8, so umlauts, "&" and quotes survive.
        "mailto_href": f"mailto:?subject={quote(subject)}&body={quote(url)}",
    }


def news_article_data(request, article, url, image_url):
    """schema.org NewsArticle for search engines (JSON-LD on the article page)."""
    author = article.author.get_full_name() if article.author else ""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.title[:110],
        "description": article.teaser,
        "datePublished": article.publish_at.isoformat() if article.publish_at else None,
        "dateModified": article.modified_at.isoformat(),
        "author": (
            {"@type": "Person", "name": author}
            if author
            else {"@type": "Organization", "name": settings.PORTAL_NAME}
        ),
        "publisher": {
            "@type": "Organization",
            "name": settings.PORTAL_NAME,
            "logo": {
                "@type": "ImageObject",
                "url": request.build_absolute_uri(static("images/logo.png")),
            },
        },
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.ordered_tags],
        "inLanguage": "de-DE",
        "isAccessibleForFree": True,
    }
    if image_url:
        data["image"] = [image_url]
    return data


def print_context(request, article):
    """What the print page and the PDF show besides the article."""
    return {
        "article": article,
        "article_url": request.build_absolute_uri(article.get_absolute_url()),
        "printed_at": timezone.now(),
    }


@reader_page(topics=lambda pk, slug: (f"article:{pk}", "tags", "pictures"))
class ArticleDetailView(DetailView):
    """One article at its canonical address /artikel/<id>-<slug>/."""

    context_object_name = "article"

    def get_object(self, queryset=None):
        article = PageQuery.visible(self.kwargs["pk"])
        if article is None:
            raise Http404(_("Diesen Artikel gibt es nicht oder nicht mehr."))
        return article

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.kwargs.get("slug") != self.object.slug:
            # Old or mistyped slugs keep working, and search engines learn the new one.
            return redirect(self.canonical_url(self.object), permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

    def canonical_url(self, article):
        return article.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(article_page_context(self.request, self.object))
        return context


class ArticlePrintView(ArticleDetailView):
    """Druckversion: the article alone, for paper; the reader starts printing."""

    template_name = "articles/article_print.html"

    def canonical_url(self, article):
        return article.get_print_url()

    def get_context_data(self, **kwargs):
        return print_context(self.request, self.object)


def article_pdf(request, pk, slug):
    """The article as an A4 PDF to download, rendered once per version of it.

    The PDF's identity is the hash of its HTML. While the content is unchanged
    that hash is remembered, so a repeated download reads the stored file
    without loading the article or rendering its HTML again.
    """
    # The HTML holds the article's absolute address: one entry per host and scheme.
    version = topic_versions(request, [f"article:{pk}", "tags", "pictures", "sections"])
    known_key = f"pdf:known:{pk}:{request.scheme}:{request.get_host()}:{version}"
    known = cache.get(known_key)
    if known is not None and known["slug"] == slug:
        not_modified = get_conditional_response(
            request, etag=quote_etag(known["hash"]), last_modified=known["modified"]
        )
        if not_modified is not None:
            return not_modified
        data = pdf.stored(pdf.stored_name(pdf_folder(pk), known["hash"]))
        if data is not None:
            return pdf_response(data, slug, known["hash"], known["modified"], cached=True)

    article = PageQuery.visible(pk)
    if article is None:
        raise Http404(_("Diesen Artikel gibt es nicht oder nicht mehr."))
    if slug != article.slug:
        return redirect(article.get_pdf_url(), permanent=True)
    html = render_to_string("articles/article_pdf.html", print_context(request, article), request)
    digest = pdf.digest(html)
    last_modified = int(article.modified_at.timestamp())
    cache.set(
        known_key,
        {"slug": article.slug, "hash": digest, "modified": last_modified},
        CACHE_SECONDS,
    )
    not_modified = get_conditional_response(
        request, etag=quote_etag(digest), last_modified=last_modified
    )
    if not_modified is not None:
        return not_modified
    try:
        data, cached = pdf.get_or_render(pdf_folder(pk), html, request.build_absolute_uri("/"))
    except pdf.RenderBusy:
        response = render(request, "articles/pdf_busy.html", status=503)
        response["Retry-After"] = "5"
        return response
    return pdf_response(data, article.slug, digest, last_modified, cached=cached)


def pdf_folder(pk):
    """Where an article's PDF is kept in the media storage (its current version only)."""
    return f"pdf/{pk}"


def pdf_response(data, slug, digest, last_modified, cached):
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{slug}.pdf"
    )
    response["ETag"] = quote_etag(digest)
    response["Last-Modified"] = http_date(last_modified)
    response["X-PDF-Cache"] = "hit" if cached else "miss"
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return response


PREVIEW_SALT = "articles.preview"


def preview_token(article):
    """A link token for one article; preview_link_view accepts it for PREVIEW_DAYS,
    until the article's preview links are revoked (Article.preview_generation)."""
    payload = [article.pk, article.preview_generation]
    return signing.dumps(payload, salt=PREVIEW_SALT, compress=True)


def _previewed(payload):
    """(article id, preview generation) a token names; links made before they could
    be revoked name the id alone, and count as the first generation."""
    if isinstance(payload, int):
        return payload, 0
    if isinstance(payload, list) and len(payload) == 2 and all(type(n) is int for n in payload):
        return payload[0], payload[1]
    raise Http404


def render_preview(request, article, **extra):
    """The article page for an article readers cannot see yet: marked, not indexed, not cached."""
    if article.publish_at is None:
        # Published now, it would carry today's date: show that (nothing is saved).
        article.publish_at = timezone.now()
    context = {**article_page_context(request, article), "preview": True, **extra}
    response = render(request, "articles/article_detail.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, private=True, no_store=True)
    return response


def preview_link_view(request, token):
    """A draft shown to someone without an account, through a signed link that expires."""
    try:
        payload = signing.loads(token, salt=PREVIEW_SALT, max_age=settings.PREVIEW_DAYS * 86400)
    except signing.SignatureExpired:
        return render(request, "articles/preview_expired.html", status=410)
    except signing.BadSignature:
        raise Http404 from None
    pk, generation = _previewed(payload)
    # A taken-back article stays off the web, preview links included.
    article = get_object_or_404(
        Article.objects.for_page().exclude(status=Article.Status.UNPUBLISHED), pk=pk
    )
    if article.preview_generation != generation:
        return render(request, "articles/preview_expired.html", {"revoked": True}, status=410)
    return render_preview(request, with_working_copy(article))


def article_without_slug(request, pk):
    article = get_object_or_404(Article.objects.published().only("pk", "slug"), pk=pk)
    return redirect(article, permanent=True)
