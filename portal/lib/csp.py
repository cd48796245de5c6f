"""Admin forms with the rich-text editor under the Content Security Policy.

The editor loads its modules through an import map, an inline
<script type="importmap">. The policy allows no inline script without the
request's nonce, which js_asset's Media adds to the tags it renders.
"""

from js_asset import Media


class NoncedMediaMixin:
    """For a ModelAdmin whose form has the editor: its scripts carry the CSP nonce."""

    def render_change_form(self, request, context, *args, **kwargs):
        # bool() of django-csp's lazy nonce says whether it was made yet; str() makes it.
        if hasattr(request, "csp_nonce"):
            context["media"] = Media.from_media(context["media"], nonce=str(request.csp_nonce))
        return super().render_change_form(request, context, *args, **kwargs)
