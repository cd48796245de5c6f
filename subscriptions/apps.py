"""The app's configuration: mail waits for each request's answer; the Belehrung is a fragment."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = _("Abonnements")

    def ready(self):
        from portal.lib import pagecache
        from subscriptions import mail, withdrawal_info

        mail.collect_during_requests()
        # The Widerrufsbelehrung names the trader from the Impressum (topic "site").
        pagecache.fragment("withdrawal-info", topics=("site",), render=withdrawal_info.render)
