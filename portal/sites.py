"""The back office's admin site: Django's, with the login throttled against password guessing
and a second factor (TOTP) for everyone who can see subscriber data.

After the password, such staff enter a code from an authenticator app (or
one of ten recovery codes); who has no app set up yet is led to set it up,
with a QR code, before anything else. Until then the session is signed in
but has no permission in the admin (has_permission), so no view can be
reached by the password alone. The codes are counted like passwords:
OTP_FAILURES wrong ones lock the second step for LOCK_SECONDS.
"""

import base64

import segno
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.auth.forms import UsernameField
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.crypto import salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.lib import ratelimit

# Failed logins allowed per address and user name, and per address alone,
# within LOCK_SECONDS; then the login form refuses until the time is up.
FAILURES_PER_USER = 5
FAILURES_PER_ADDRESS = 20
LOCK_SECONDS = 15 * 60
# Wrong second-factor codes allowed per user within LOCK_SECONDS.
OTP_FAILURES = 5
RECOVERY_CODES = 10


# Set in the session when the password was right but the code is still to come.
CODE_PENDING = "portal_second_factor_pending"


def required_by_role(user):
    """Superusers, whoever may see subscriber data, or all staff by setting."""
    return (
        user.is_superuser
        or settings.OTP_REQUIRED_FOR_ALL_STAFF
        or user.has_module_perms("subscriptions")
    )


def needs_second_factor(user):
    """Required by role, or set up by choice (asked at each login from then on)."""
    return required_by_role(user) or TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        help_text=gettext_lazy(
            "Die sechs Ziffern aus Ihrer Authenticator-App oder einer Ihrer "
            "Wiederherstellungscodes."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


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


class PortalAutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete answer, with what a model's admin adds to each result
    (``autocomplete_extra``): the lead picture chooser shows thumbnails."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        extra = getattr(self.model_admin, "autocomplete_extra", None)
        return {**result, **extra(obj)} if extra else result


class PortalAdminSite(admin.AdminSite):
    def autocomplete_view(self, request):
        return PortalAutocompleteJsonView.as_view(admin_site=self)(request)

    def has_permission(self, request):
        # No query of its own on every admin page: who chose a second factor
        # is marked in the session at the password step.
        user = request.user
        return super().has_permission(request) and (
            _verified(user) or not (required_by_role(user) or request.session.get(CODE_PENDING))
        )

    def get_urls(self):
        second = [
            path("zweiter-faktor/", self._staff_only(self.second_factor), name="second_factor"),
            path(
                "zweiter-faktor/einrichten/",
                self._staff_only(self.second_factor_setup),
                name="second_factor_setup",
            ),
        ]
        return second + super().get_urls()

    def _staff_only(self, view):
        """Signed in as staff, with or without the second factor (these views give it)."""

        def checked(request, *args, **kwargs):
            if not (request.user.is_active and request.user.is_staff):
                return redirect_to_login(request.get_full_path(), reverse("admin:login"))
            return view(request, *args, **kwargs)

        return never_cache(csrf_protect(checked))

    def login(self, request, extra_context=None):
        user = request.user
        if user.is_active and user.is_staff and not self.has_permission(request):
            return self._to_second_factor(request)
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
            if needs_second_factor(request.user):
                request.session[CODE_PENDING] = True
                return self._to_second_factor(request)
        return response

    def _to_second_factor(self, request):
        has_app = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
        target = reverse("admin:second_factor" if has_app else "admin:second_factor_setup")
        return HttpResponseRedirect(f"{target}?next={_next(request)}")

    def second_factor(self, request):
        """The code after the password: from the app, or a recovery code (each works once)."""
        user = request.user
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            return self._to_second_factor(request)
        form = CodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            counter = ratelimit.counter("admin-otp", str(user.pk))
            if ratelimit.hit(LOCK_SECONDS, counter)[counter] > OTP_FAILURES:
                return self._locked(request)
            device = _matching_device(user, form.cleaned_data["code"])
            if device is not None:
                ratelimit.forget(counter)
                otp_login(request, device)
                if isinstance(device, StaticDevice):
                    left = device.token_set.count()
                    messages.warning(
                        request,
                        _(
                            "Sie haben einen Wiederherstellungscode verwendet; %(left)d sind "
                            "noch übrig. Unter „Zweiter Faktor“ erzeugen Sie neue."
                        )
                        % {"left": left},
                    )
                return HttpResponseRedirect(_next(request))
            form.add_error("code", _("Dieser Code stimmt nicht (oder war schon verwendet)."))
        return self._page(request, "admin/second_factor.html", _("Zweiter Faktor"), form=form)

    def second_factor_setup(self, request):
        """Set up the app: a QR code, one code to confirm it, then ten recovery codes, once."""
        user = request.user
        confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if confirmed is not None:
            if not _verified(user):
                return self._to_second_factor(request)  # a password alone changes nothing
            if request.method == "POST" and request.POST.get("neue_codes"):
                return self._page(
                    request,
                    "admin/second_factor_codes.html",
                    _("Neue Wiederherstellungscodes"),
                    codes=_new_recovery_codes(user),
                )
            return self._page(request, "admin/second_factor_setup.html", _("Zweiter Faktor"))
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, confirmed=False, defaults={"name": "Authenticator-App"}
        )
        form = CodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
                with transaction.atomic():
                    device.confirmed = True
                    device.save(update_fields=["confirmed"])
                    codes = _new_recovery_codes(user)
                otp_login(request, device)
                return self._page(
                    request,
                    "admin/second_factor_codes.html",
                    _("Zweiter Faktor eingerichtet"),
                    codes=codes,
                )
            form.add_error("code", _("Dieser Code stimmt nicht. Bitte den aktuellen eingeben."))
        return self._page(
            request,
            "admin/second_factor_setup.html",
            _("Zweiten Faktor einrichten"),
            form=form,
            qr=segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("QR-Code")),
            key=" ".join(_base32(device.bin_key)[i : i + 4] for i in range(0, 32, 4)),
        )

    def _page(self, request, template, title, **context):
        context = {
            **self.each_context(request),
            "title": title,
            "next": _next(request),
            "is_nav_sidebar_enabled": False,
            **context,
        }
        return TemplateResponse(request, template, context)

    def _locked(self, request):
        context = {
            **self.each_context(request),
            "title": _("Anmeldung gesperrt"),
            "minutes": LOCK_SECONDS // 60,
            "is_nav_sidebar_enabled": False,
        }
        return TemplateResponse(request, "admin/login_locked.html", context, status=429)


def _verified(user):
    """Signed in with the second factor in this session (OTPMiddleware's mark; a user
    just signed in by password has none yet)."""
    return getattr(user, "otp_device", None) is not None


def _next(request):
    """Where to go after the second factor: ?next= if it is ours, else the admin's start."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def _matching_device(user, code):
    code = code.strip().replace(" ", "")
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(code):
            return device
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(_stored(code)):  # the token is used up
            return device
    return None


def _new_recovery_codes(user):
    """Ten new recovery codes (the old ones stop working); shown once, stored hashed."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": "Wiederherstellungscodes", "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=_stored(code)) for code in codes
    )
    return codes


def _base32(key):
    return base64.b32encode(key).decode()


def _stored(code):
    """A recovery code as stored: a keyed hash, so the table holds nothing that signs in."""
    return salted_hmac("portal.sites.recovery", code.lower()).hexdigest()[:16]
