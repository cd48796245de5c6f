"""The Kündigung and Widerruf forms without a cookie: what keeps a forged declaration out.

Readers get no cookies, and a browser that blocks them must still be able
to cancel or withdraw (§ 312k Abs. 2 BGB: the confirmation page "ständig
verfügbar sowie unmittelbar und leicht zugänglich"). Django's CSRF check
needs a cookie, so these two views are exempt from it (csrf_exempt) and
check each POST here instead.

What a forged declaration could do. A page of another site can make a
visitor's browser send our form, filled in as it likes. Anonymous, that
gains nothing over sending the form from its own machine: a declaration
acts on a contract only if it names the customer number or address on
file together with the whole name on file, the subscriber on file is told
with a "das war ich nicht" link, and anything less waits for staff
(subscriptions.declarations). What the visitor's browser adds is the
visitor's address (counted against their rate limit) and, worse, their
login: a declaration sent with the session cookie of a logged-in
subscriber is theirs beyond doubt and ends the contract without any name
to match. That is what must not be forgeable.

How it is kept out, without a cookie:

1. The browser's own word. A POST whose ``Origin`` names another site, or
   whose ``Sec-Fetch-Site`` says "cross-site" (portal.lib.posts.cross_site),
   is not taken: every browser of the last years sends one of the two, and
   no page can forge them. Besides, the session cookie is SameSite=Lax, so
   browsers do not send it with another site's POST at all.
2. A signed token in the form (django.core.signing, salted for this use),
   naming the form (Kündigung or Widerruf), the form's one-time submission
   key and the subscriber logged in when the page was made, if any. A
   POST without a valid one did not come from a form we served: nothing
   is stored. A token is no secret for an anonymous form, anyone can
   fetch the page and read one; but a token that names a subscriber is
   only ever written into a page for that subscriber's own browser, which
   no other site can read. A declaration counts as the logged-in
   subscriber's only if the token names them and is at most MAX_AGE old:
   so even a browser that sent neither header nor honoured SameSite lends
   its login to no forged declaration; the most a forgery gets is the
   anonymous declaration it could have sent itself.

A token too old is no reason to lose a declaration. § 312k Abs. 4 BGB
presumes that a declaration sent with the button reached us at once, and
nothing a person declares may be lost: a form opened in the morning and
sent in the evening is received. Its age only withdraws the login's
certainty: the declaration is settled like an anonymous one (the number or
address with the whole name, which the form filled in; else by staff).

What is refused (another site's POST, or none of our tokens) stores
nothing, and the person is shown the form again with everything they
typed, a fresh token and a German note, so that one click sends it.
"""

import dataclasses
import datetime

from django.core import signing
from django.utils.translation import gettext_lazy as _

from portal.lib.posts import cross_site

SALT = "subscriptions.forgery.form-token"
# As long as a login lasts unused (subscriptions.views.common.SESSION_SECONDS):
# an older token cannot vouch for a login any more.
MAX_AGE = datetime.timedelta(hours=1)
FIELD = "form_token"

FROM_ANOTHER_SITE = _(
    "Ihre Erklärung ist noch nicht gespeichert: Sie wurde von einer anderen Website aus "
    "an uns geschickt, nicht von diesem Formular. So schützen wir Sie vor Erklärungen, "
    "die andere in Ihrem Namen abschicken. Ihre Angaben stehen unten; bitte prüfen Sie "
    "sie und senden Sie das Formular mit der Schaltfläche unten ab, wenn Sie das möchten."
)
NOT_OUR_FORM = _(
    "Ihre Erklärung ist noch nicht gespeichert: Das Formular kam ohne sein "
    "Sicherheitsmerkmal bei uns an. Ihre Angaben stehen unten; bitte prüfen Sie sie und "
    "senden Sie das Formular mit der Schaltfläche unten ab."
)


def token(form, submission, subscriber=None):
    """The token for a page of ``form`` ("cancel", "withdraw") with this submission key."""
    return signing.dumps(
        [form, submission, subscriber.pk if subscriber is not None else None], salt=SALT
    )


@dataclasses.dataclass(frozen=True)
class Stamp:
    """What a valid token says: whom the form was made for, and whether it is recent."""

    subscriber_pk: int | None
    recent: bool

    def vouches_for(self, subscriber):
        """Whether a declaration sent with it is the logged-in ``subscriber``'s own."""
        return subscriber is not None and self.recent and self.subscriber_pk == subscriber.pk


def read(data, form):
    """The Stamp of the token in the POST ``data`` of ``form``; None if there is no valid one."""
    value = data.get(FIELD, "")
    try:
        payload, recent = signing.loads(value, salt=SALT, max_age=MAX_AGE), True
    except signing.SignatureExpired:
        payload, recent = signing.loads(value, salt=SALT), False
    except signing.BadSignature:
        return None
    if not (isinstance(payload, list) and len(payload) == 3):
        return None
    made_for_form, submission, subscriber_pk = payload
    if made_for_form != form or submission != data.get("submission"):
        return None
    return Stamp(subscriber_pk, recent)


def refusal(request, stamp):
    """Why this POST is not taken (a German note for the person), or None if it is."""
    if cross_site(request):
        return FROM_ANOTHER_SITE
    if stamp is None:
        return NOT_OUR_FORM
    return None
