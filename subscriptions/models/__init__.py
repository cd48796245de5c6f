"""The subscriptions app's models, one module per concern; all of them importable from here."""

from subscriptions.models.access import AccessLog
from subscriptions.models.account import LINK_LIFETIME, LinkToken
from subscriptions.models.contracts import (
    ANONYMISED,
    ERASED_EMAIL_DOMAIN,
    POSTCODE,
    Plan,
    Subscriber,
    Subscription,
)
from subscriptions.models.declarations import (
    ANONYMISED_DECLARATION,
    RECEIPT_SALT,
    Declaration,
    Effect,
)
from subscriptions.models.newsletter import CONSENT_LIFETIME, NewsletterConsent, NewsletterIssue
from subscriptions.models.orders import (
    ADDRESS_FIELDS,
    ORDER_LINK_LIFETIME,
    AddressChange,
    Order,
    address_line,
)
from subscriptions.models.outbox import OutgoingMail
from subscriptions.models.tokens import new_token, token_hash

__all__ = [
    "ANONYMISED",
    "ANONYMISED_DECLARATION",
    "RECEIPT_SALT",
    "ERASED_EMAIL_DOMAIN",
    "ADDRESS_FIELDS",
    "CONSENT_LIFETIME",
    "LINK_LIFETIME",
    "ORDER_LINK_LIFETIME",
    "POSTCODE",
    "AccessLog",
    "AddressChange",
    "Declaration",
    "Effect",
    "LinkToken",
    "NewsletterConsent",
    "NewsletterIssue",
    "Order",
    "OutgoingMail",
    "Plan",
    "Subscriber",
    "Subscription",
    "address_line",
    "new_token",
    "token_hash",
]
