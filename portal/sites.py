"""The back office's admin site: Django's, with the login throttled against password guessing."""

from django.contrib import admin
from django.core.cache import cache
from django.template.response import TemplateResponse

from portal.lib.ratelimit import client_address, count, counter

# Failed logins allowed per address and user name, and per address alone,
# within LOCK_SECONDS; then the login form refuses until the time is up.
FAILURES_PER_USER = 5
FAILURES_PER_ADDRESS = 20
LOCK_SECONDS = 15 * 60


def _keys(request):
    address = client_address(request)
    username = request.POST.get("username", "").strip().lower()
    return (
        (counter("admin-login", address, username), FAILURES_PER_USER),
        (counter("admin-login", address), FAILURES_PER_ADDRESS),
    )


class PortalAdminSite(admin.AdminSite):
    def login(self, request, extra_context=None):
        if request.method != "POST":
            return super().login(request, extra_context)
        keys = _keys(request)
        if any((cache.get(key) or 0) >= limit for key, limit in keys):
            context = {
                **self.each_context(request),
                "title": "Anmeldung gesperrt",
                "minutes": LOCK_SECONDS // 60,
                "is_nav_sidebar_enabled": False,
            }
            return TemplateResponse(request, "admin/login_locked.html", context, status=429)
        response = super().login(request, extra_context)
        if request.user.is_authenticated and request.user.is_staff:
            cache.delete(keys[0][0])
        else:
            for key, _limit in keys:
                count(key, LOCK_SECONDS)
        return response
