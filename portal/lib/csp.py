"""The Content Security Policy beyond django-csp's pages: files, and the rich-text editor.

Pages get the policy of settings.CONTENT_SECURITY_POLICY from django-csp's
middleware. Answers that are not pages (static files from whitenoise, the
health check) are sent before that middleware and get FILE_POLICY here.

The editor loads its modules through an import map, an inline
<script type="importmap">. The policy allows no inline script without the
request's nonce, which js_asset's Media adds to the tags it renders.
"""

from js_asset import Media

# For answers that are not pages: nothing in them may run, load anything,
# send a form or be framed. Browsers apply a policy only where they show the
# answer as a document (an SVG or a JSON file opened directly); a script,
# style sheet or picture used in a page is governed by the page's policy.
FILE_POLICY = (
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox"
)


def add_file_policy(headers, path, url):
    """WHITENOISE_ADD_HEADERS_FUNCTION: every static file carries FILE_POLICY."""
    headers["Content-Security-Policy"] = FILE_POLICY


class NoncedMediaMixin:
    """For a ModelAdmin whose form has the editor: its scripts carry the CSP nonce."""

    def render_change_form(self, request, context, *args, **kwargs):
        # bool() of django-csp's lazy nonce says whether it was made yet; str() makes it.
        if hasattr(request, "csp_nonce"):
            context["media"] = Media.from_media(context["media"], nonce=str(request.csp_nonce))
        return super().render_change_form(request, context, *args, **kwargs)
