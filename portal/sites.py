"""The back office's admin site: Django's, with the login throttled against password guessing."""

from django.contrib import admin
from django.contrib.auth.forms import UsernameField
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from portal.lib import ratelimit

# Failed logins allowed per address and user name, and per address alone,
# within LOCK_SECONDS; then the login form refuses until the time is up.
FAILURES_PER_USER = 5
FAILURES_PER_ADDRESS = 20
LOCK_SECONDS = 15 * 60


def lock_name(username):
    """The user name as the lock counts it: as authentication reads it, and without case.

    The login form's field normalises with NFKC (so "ｒｅｄ" logs in as "red");
    a lock keyed on the name as typed would let every spelling guess anew.
    Case is folded as well: locking "Red" with "red" costs nobody anything.
    """
    return (UsernameField().to_python(username) or "").strip().casefold()


def _counters(request):
    address = ratelimit.normal(ratelimit.client_address(request))
    username = lock_name(request.POST.get("username", ""))
    return (
        (ratelimit.counter("admin-login", address, username), FAILURES_PER_USER),
        (ratelimit.counter("admin-login", address), FAILURES_PER_ADDRESS),
    )


class PortalAdminSite(admin.AdminSite):
    def login(self, request, extra_context=None):
        if request.method != "POST":
            return super().login(request, extra_context)
        # Counted before the password is checked: parallel guesses cannot all
        # slip past a check that reads the count before any of them adds to it.
        counters = _counters(request)
        hits = ratelimit.hit(LOCK_SECONDS, *(name for name, _limit in counters))
        if any(hits[name] > limit for name, limit in counters):
            context = {
                **self.each_context(request),
                "title": _("Anmeldung gesperrt"),
                "minutes": LOCK_SECONDS // 60,
                "is_nav_sidebar_enabled": False,
            }
            return TemplateResponse(request, "admin/login_locked.html", context, status=429)
        response = super().login(request, extra_context)
        if request.user.is_authenticated and request.user.is_staff:
            # Only failures count: this name starts afresh, the address gets its try back.
            (user_counter, _limit), (address_counter, _limit) = counters
            ratelimit.forget(user_counter)
            ratelimit.take_back(address_counter)
        return response
