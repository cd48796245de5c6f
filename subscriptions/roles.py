"""What the subscription service may do: the groups that see subscriber data, and who
reads the log of their looks."""

ROLES = {
    # Declarations are never added or deleted by hand; "change" is matching them.
    "Aboverwaltung": [
        *[
            f"subscriptions.{action}_{model}"
            for model in ("plan", "subscriber", "subscription", "newsletterissue")
            for action in ("add", "change", "view")
        ],
        "subscriptions.view_declaration",
        "subscriptions.change_declaration",
        "subscriptions.view_effect",
        "subscriptions.view_outgoingmail",
        "subscriptions.change_outgoingmail",
        "subscriptions.view_newsletterconsent",
        # Orders are records of what was typed; addresses from them are decided on.
        "subscriptions.view_order",
        "subscriptions.view_addresschange",
        "subscriptions.change_addresschange",
        # Art. 15 DSGVO: a request by post is answered with the subscriber's own export.
        "subscriptions.disclose_subscriber",
    ],
    # Whoever answers requests under Art. 15-21 GDPR: sees subscribers and
    # their records, and alone may erase one (Art. 17, subscriptions.erasure).
    # Not the whole Aboverwaltung: erasing is a decision to be taken by few;
    # a person may be in both groups.
    "Datenschutz": [
        "subscriptions.view_subscriber",
        "subscriptions.erase_subscriber",
        "subscriptions.disclose_subscriber",
        "subscriptions.view_subscription",
        "subscriptions.view_order",
        "subscriptions.view_declaration",
        "subscriptions.view_outgoingmail",
        # Who looked at subscriber data (AccessLog): read by data protection and
        # the Chefredaktion, never by the staff it records.
        "subscriptions.view_accesslog",
    ],
    "Chefredaktion": ["subscriptions.view_accesslog"],
}
