"""Reader pages of ads: the IT-Guide and vendor profiles; ad frames and click counting."""

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe

from ads import counting
from ads.filters import VendorFilter
from ads.models import Creative, Vendor
from ads.placement import choose, running_creatives
from ads.slots import SLOTS
from portal.lib.pagecache import reader_page

DIRECTORY_PAGE_SIZE = 20


@reader_page(params=("kategorie", "plz", "ort", "q", "page"), topics=("itguide",))
@require_safe
def directory(request):
    """IT-Guide: the listed vendors, Plus first, filtered by category, region, place, text."""
    filters = VendorFilter(
        request.GET, queryset=Vendor.objects.listed().prefetch_related("categories")
    )
    context = {"filters": filters, "directory_page": True}
    if not filters.is_valid():
        return render(request, "ads/vendor_list.html", context, status=400)
    paginator = Paginator(filters.qs.order_by("-plus", "sort_name", "pk"), DIRECTORY_PAGE_SIZE)
    number = request.GET.get("page") or "1"
    try:
        page = paginator.page(number)
    except InvalidPage:
        context["problem"] = _("Diese Seite der Liste gibt es nicht.")
        return render(request, "ads/vendor_list.html", context, status=404)
    params = request.GET.copy()
    params.pop("page", None)
    context.update(page_obj=page, vendors=page.object_list, without_page=params.urlencode())
    return render(request, "ads/vendor_list.html", context)


@reader_page(topics=("itguide",))
@require_safe
def vendor_detail(request, slug):
    """A vendor's profile: contact, categories, and the articles about it."""
    vendor = get_object_or_404(Vendor.objects.listed().prefetch_related("categories"), slug=slug)
    return render(request, "ads/vendor_detail.html", {"vendor": vendor, "directory_page": True})


@require_safe
@never_cache
@xframe_options_sameorigin
def slot(request, name):
    """The inside of an ad place (an iframe of the page): one creative drawn for this view.

    The page around it can come from any cache; this answer is never cached,
    so every view of the page draws and counts anew.
    """
    if name not in SLOTS:
        raise Http404
    creative = choose(list(running_creatives(name).select_related("campaign")))
    if creative is not None and counting.counts(request):
        counting.count_impression(creative.pk)
    return render(request, "ads/slot.html", {"creative": creative, "slot": SLOTS[name]})


@require_safe
@never_cache
def click(request, pk):
    """Count the click, then send the reader to the address stored with the creative.

    A creative that is switched off, or whose campaign is paused or not
    running, leads to its advertiser's IT-Guide profile instead (the IT-Guide
    when the vendor is not listed) and counts nothing: the booking is over,
    the link in a page someone kept open is not. Two queries at most.
    """
    creative = get_object_or_404(
        Creative.objects.select_related("campaign__advertiser")
        .only(
            "target_url",
            "campaign__advertiser__slug",
            "campaign__advertiser__listed_from",
            "campaign__advertiser__listed_until",
        )
        .annotate(running=Exists(running_creatives().filter(pk=OuterRef("pk")))),
        pk=pk,
    )
    if creative.running:
        if counting.counts(request):  # not a link checker's HEAD, a prefetch or a robot
            counting.count_click(creative.pk, *counting.click_keys(request, creative.pk))
        target = creative.target_url
    else:
        vendor = creative.campaign.advertiser
        target = vendor.get_absolute_url() if vendor.is_listed else reverse("ads:directory")
    response = HttpResponseRedirect(target)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
