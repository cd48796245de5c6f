"""The Widerrufsbelehrung: the statutory model (Anlage 1 EGBGB) and form (Anlage 2), filled in.

Art. 246a § 1 Abs. 2 EGBGB wants the subscriber told, before the order and
again on a durable medium, of the conditions, the period and the way to
withdraw, with the model withdrawal form. The texts are the model's, word
for word (templates/subscriptions/includes/withdrawal_info.html and
mail/includes/withdrawal_info.txt); what the model leaves to the trader
is filled in here:

- who the trader is: the Impressum (the portal's Publisher row, read by its
  label: apps do not import the portal) with the subscription service's
  e-mail address (settings.SUBSCRIPTION_EMAIL);
- when the period begins (Gestaltungshinweis 1): digital plans with the
  conclusion of the contract, print and combined ones with the first issue;
- the online withdrawal function ("Vertrag widerrufen", § 356a BGB);
- who pays for sending the issues back (settings.PORTAL_WITHDRAWAL_RETURN_COSTS).

Render either template with context() to attach the text to a mail. On
pages the HTML is a fragment of the page cache (``render``, registered in
SubscriptionsConfig.ready()) under the topic "site", which the Impressum
renews: the Impressum is read once while it is unchanged, not per page.
"""

from django.apps import apps
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

HTML = "subscriptions/includes/withdrawal_info.html"
TEXT = "subscriptions/mail/includes/withdrawal_info.txt"


def trader():
    """The publisher as the Impressum names them, or None while there is no Impressum."""
    return apps.get_model("portal", "Publisher").objects.first()


def trader_lines(publisher):
    """Whom to withdraw to, as the Belehrung and as the form name them.

    Gestaltungshinweis 2 of Anlage 1: name, address, telephone number and
    e-mail address; Anlage 2: name, address and e-mail address.
    """
    email = _("E-Mail: %(email)s") % {"email": settings.SUBSCRIPTION_EMAIL}
    if publisher is None:
        # No Impressum yet: the portal's name and the service's address; such
        # a Belehrung is incomplete, and orders confirmed meanwhile say so
        # (orders.confirm leaves Subscription.withdrawal_informed_on empty).
        return f"{settings.PORTAL_NAME}, {email}", f"{settings.PORTAL_NAME}, {email}"
    address = f"{publisher.name}, {publisher.street}, {publisher.postcode} {publisher.city}"
    phone = _("Telefon: %(phone)s") % {"phone": publisher.phone}
    return f"{address}, {phone}, {email}", f"{address}, {email}"


def context(by_post, online_url, publisher=None):
    """What the Widerrufsbelehrung templates need, for one kind of plan.

    ``by_post``: a print or combined plan (the period begins with the first
    issue, and issues go back); ``online_url``: the absolute address of
    "Vertrag widerrufen"; ``publisher``: the Impressum, if read already.
    """
    publisher = publisher if publisher is not None else trader()
    trader_line, form_trader_line = trader_lines(publisher)
    return {
        "trader_line": trader_line,
        "form_trader_line": form_trader_line,
        "by_post": by_post,
        "online_url": online_url,
        "we_pay_returns": settings.PORTAL_WITHDRAWAL_RETURN_COSTS == "publisher",
    }


def render(request, by_post, online_url, applies_to="", collapsed=False, text=False):
    """The Belehrung as HTML (pages, HTML mails), or as ``text`` for a plain-text mail.

    ``applies_to`` names the plans it is for; ``collapsed`` shows it behind
    its title (a page that offers several plans before one is chosen).
    """
    values = {
        **context(by_post, online_url),
        "applies_to": applies_to,
        "collapsed": collapsed,
    }
    return render_to_string(TEXT if text else HTML, values)
