"""The portal app (the Impressum and legal texts), and the admin with our throttled login."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin with our site class (throttled login); named in INSTALLED_APPS."""

    default = False
    default_site = "portal.sites.PortalAdminSite"


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from portal import fragments
        from portal.lib import pagecache

        pagecache.fragment("site-nav", topics=("sections",), render=fragments.site_nav)
        pagecache.fragment(
            "site-footer", topics=(), render=fragments.site_footer, variant=fragments.this_year
        )
        # Every app's tasks.py, so the clock knows all periodic tasks (portal.lib.tasks.every).
        autodiscover_modules("tasks")
