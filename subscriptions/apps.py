"""The app's configuration: once loaded, mail waits for each request's answer."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = _("Abonnements")

    def ready(self):
        from subscriptions import mail

        mail.collect_during_requests()
