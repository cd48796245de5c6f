"""The IT-Guide in the sitemap index: the directory and every listed vendor."""

from django.contrib.sitemaps import Sitemap

from ads.models import Vendor


class VendorSitemap(Sitemap):
    limit = 5000

    def items(self):
        return Vendor.objects.listed().only("slug", "updated_at").order_by("sort_name", "pk")

    def lastmod(self, vendor):
        return vendor.updated_at
