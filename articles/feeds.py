"""RSS 2.0 and Atom feeds: the whole site, each section, each tag."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from articles.models import Article, Section, Tag

FEED_ITEMS = 30


class LatestArticles(Feed):
    """The newest articles. The feeds' language is LANGUAGE_CODE, "de"."""

    feed_type = Rss201rev2Feed

    def title(self, obj=None):
        return settings.PORTAL_NAME

    def description(self, obj=None):
        return settings.PORTAL_CLAIM

    def link(self, obj=None):
        return reverse("home")

    def visible(self, obj):
        """The articles this feed is about; items() takes the newest of them."""
        return Article.objects.published()

    def items(self, obj=None):
        return (
            self.visible(obj)
            .for_listing()
            .prefetch_related("tagged_items__tag")
            .order_by("-publish_at", "-id")[:FEED_ITEMS]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Feed readers take the description as HTML; the teaser is plain text.
        return escape(item.teaser)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        # The id stays when the slug changes, so readers do not see it twice.
        return f"{self.site_url}/artikel/{item.pk}/"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.modified_at

    def item_author_name(self, item):
        return item.byline or settings.PORTAL_NAME

    def item_categories(self, item):
        return [entry.tag.name for entry in item.tagged_items.all()]

    def item_enclosures(self, item):
        image = item.lead_image
        if image is None or not image.renditions.get("fallback"):
            return []
        _width, name = image.renditions["fallback"][-1]
        url = self.site_url + image.file.storage.url(name)
        size = image.file.storage.size(name)
        mime = "image/png" if name.endswith(".png") else "image/jpeg"
        return [Enclosure(url, str(size), mime)]

    @classmethod
    def as_view(cls):
        """A view with a new feed object per request, as it keeps the request's address."""

        def view(request, *args, **kwargs):
            return cls()(request, *args, **kwargs)

        return view

    def get_feed(self, obj, request):
        self.site_url = request.build_absolute_uri("/").rstrip("/")
        return super().get_feed(obj, request)


class LatestArticlesAtom(LatestArticles):
    feed_type = Atom1Feed
    subtitle = LatestArticles.description


class SectionArticles(LatestArticles):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, section):
        return f"{settings.PORTAL_NAME}: {section.name}"

    def description(self, section):
        return section.description or _("Meldungen und Beiträge aus dem Bereich %(section)s") % {
            "section": section.name
        }

    def link(self, section):
        return section.get_absolute_url()

    def visible(self, section):
        return super().visible(section).filter(section=section)


class SectionArticlesAtom(SectionArticles):
    feed_type = Atom1Feed
    subtitle = SectionArticles.description


class TagArticles(LatestArticles):
    def get_object(self, request, slug):
        """The tag, if readers can see an article with it (like the tag page)."""
        tag = get_object_or_404(Tag, slug=slug)
        if not self.visible(tag).exists():
            raise Http404
        return tag

    def title(self, tag):
        return _("%(portal)s: Stichwort %(tag)s") % {
            "portal": settings.PORTAL_NAME,
            "tag": tag.name,
        }

    def description(self, tag):
        return _("Meldungen und Beiträge zum Stichwort %(tag)s") % {"tag": tag.name}

    def link(self, tag):
        return tag.get_absolute_url()

    def visible(self, tag):
        return super().visible(tag).filter(tagged_items__tag=tag)


class TagArticlesAtom(TagArticles):
    feed_type = Atom1Feed
    subtitle = TagArticles.description
