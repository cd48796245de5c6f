"""What the subscription service may do (the only group that sees subscriber data), and who
reads the log of its looks."""

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
    # Who looked at subscriber data (AccessLog): read by the Chefredaktion and
    # by data protection, never by the staff it records.
    "Chefredaktion": ["subscriptions.view_accesslog"],
    "Datenschutz": ["subscriptions.view_accesslog"],
}
