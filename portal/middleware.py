from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _


class RejectNulBytesMiddleware:
    """Answer 400 to a NUL byte anywhere in the address or the form data.

    PostgreSQL cannot store or compare text containing NUL; without this, a
    search or form field with %00 reaches the database and ends in a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or self._has_nul(request.GET) or self._has_nul(request.POST):
            raise BadRequest(_("Die Anfrage enthält ein Nullzeichen."))
        return self.get_response(request)

    @staticmethod
    def _has_nul(data):
        return any("\x00" in value for values in data.lists() for value in values[1])
