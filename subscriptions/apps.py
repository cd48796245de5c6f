"""The subscriptions app: mail queued during a request goes out after the answer."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = _("Abonnements")

    def ready(self):
        from subscriptions import mail

        mail.collect_during_requests()
