"""The ads app: what the page cache's content version and reader pages depend on."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdsConfig(AppConfig):
    name = "ads"
    verbose_name = _("Anzeigen")

    def ready(self):
        from ads.placement import last_boundary
        from ads.templatetags import ads as ad_tags
        from portal.lib import pagecache

        # Ad places appear and go when a campaign starts or ends, with no write at all.
        pagecache.version_depends_on(last_boundary)
        # Every reader page shows the IT-Guide Plus box, which turns each quarter hour.
        pagecache.reader_pages_vary_with(lambda: ad_tags.plus_turn())
