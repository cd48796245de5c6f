"""The app's configuration: mail waits for each request's answer; the Belehrung is a fragment."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = _("Abonnements")

    def ready(self):
        from portal.lib import outbox, pagecache

        # Each registers the links it mints when a mail is sent (mail.link_kind):
        # the worker sends mails without importing the views.
        from subscriptions import account, declarations, mail, newsletter, orders, withdrawal_info  # noqa: F401

        mail.collect_during_requests()
        # Other apps mail through portal.lib.outbox without importing this app.
        outbox.register(mail.queue_text)
        # The Widerrufsbelehrung names the trader from the Impressum (topic "site").
        pagecache.fragment("withdrawal-info", topics=("site",), render=withdrawal_info.render)
