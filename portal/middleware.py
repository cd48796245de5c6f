"""Site-wide middleware: the health check and the refusal of NUL bytes."""

from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from portal.lib import tasks
from portal.lib.csp import FILE_POLICY

# A due task waiting longer than this means no worker is taking them.
TASKS_LATE = 300


class RejectNulBytesMiddleware:
    """Answer 400 to a NUL byte anywhere in the address or the form data.

    PostgreSQL cannot store or compare text containing NUL; without this, a
    search or form field with %00 reaches the database and ends in a 500.
    The address and query string are checked before anything else; the form
    data once the view is known, since a view marked with
    portal.lib.posts.nul_bytes_at_the_field (the Kündigung and Widerruf
    forms) says at the field what was wrong and keeps the rest of what was
    typed: a declaration there must not end in an error page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or self._has_nul(request.GET):
            raise BadRequest(_("Die Anfrage enthält ein Nullzeichen."))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "nul_bytes_at_the_field", False):
            return None
        if self._has_nul(request.POST):
            raise BadRequest(_("Die Anfrage enthält ein Nullzeichen."))
        return None

    @staticmethod
    def _has_nul(data):
        return any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in data.lists()
        )


class HealthCheckMiddleware:
    """/healthz/ for load balancers, answered before host checks, sessions and the rest.

    200 while the database answers, 503 when it does not; the cache's state
    is reported too, but the site serves without it, and so is the age of the
    oldest task waiting for a worker ("tasks": "late" after TASKS_LATE seconds).
    Balancers often ask by IP address, which ALLOWED_HOSTS would refuse, and over plain HTTP.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != "/healthz/":
            return self.get_response(request)
        state = {"database": "ok", "cache": "ok"}
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            state["database"] = "unavailable"
        if state["database"] == "ok":
            # How long the longest-waiting due task has waited: a stopped worker
            # shows here (the site itself still serves, so the status stays 200).
            try:
                waited = tasks.oldest_waiting()
            except DatabaseError:
                state["tasks"] = "unknown"
            else:
                if waited is not None:
                    state["tasks"] = "ok" if waited < TASKS_LATE else "late"
                    state["oldest_task_waiting_seconds"] = waited
        try:
            cache.set("healthz", "1", 10)
            if cache.get("healthz") != "1":
                state["cache"] = "unavailable"
        except Exception:  # any backend's failure: reported, not raised
            state["cache"] = "unavailable"
        response = JsonResponse(state, status=200 if state["database"] == "ok" else 503)
        patch_cache_control(response, no_store=True)
        # Answered before django-csp's middleware, like a static file.
        response["Content-Security-Policy"] = FILE_POLICY
        return response
