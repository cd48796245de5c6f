"""gunicorn's access log without personal data or secrets (deploy/gunicorn.conf.py).

A line says when, what was asked, the answer and how long it took; it keeps
no client address (a reader's IP address is personal data we have no reason
to store, GDPR Art. 5 (1) c, 25) and no referrer or query string. Links that
carry a secret (a login link, a confirmation link: URL parameters named
``secret``, ``token`` or ``signed``) are logged with the secret cut out: a
log file must not let its reader log in as a subscriber.
"""

from django.urls import Resolver404, resolve
from gunicorn import glogging

SECRET_PARAMETERS = ("secret", "token", "signed")
CUT = "[…]"


def without_secrets(path):
    """``path`` with the values of secret-bearing URL parameters replaced by CUT."""
    try:
        match = resolve(path)
    except (Resolver404, UnicodeError):
        return path
    for name in SECRET_PARAMETERS:
        value = match.kwargs.get(name)
        if value:
            path = path.replace(str(value), CUT)
    return path


class AccessLogger(glogging.Logger):
    """The access log's atoms, the client's traces left out."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = without_secrets(environ.get("PATH_INFO", ""))
        kept = {
            key: value
            for key, value in atoms.items()
            # Response headers ({x-cache}o) stay; request headers and the environment go.
            if not (key.endswith("}i") or key.endswith("}e"))
        }
        kept.update(
            h="-",
            f="-",
            q="",
            U=path,
            r=f"{atoms['m']} {path} {atoms['H']}",
        )
        return kept
