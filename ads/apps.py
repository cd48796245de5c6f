"""The ads app: the fragments of reader pages it draws, and their topics."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdsConfig(AppConfig):
    name = "ads"
    verbose_name = _("Anzeigen")

    def ready(self):
        from ads import fragments
        from portal.lib import pagecache

        # Which places show an ad changes with the campaigns (topic "ads",
        # counted by ads' triggers, also when a campaign starts or ends).
        pagecache.fragment("ad-slot", topics=("ads",), render=fragments.ad_slot)
        # The Plus box turns every quarter hour: a new box, the same pages.
        pagecache.fragment(
            "itguide-plus",
            topics=("itguide",),
            render=fragments.itguide_plus,
            variant=lambda: fragments.plus_turn(),
        )
