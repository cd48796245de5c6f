"""Who edits the site's own texts: the Impressum and the legal texts."""

ROLES = {
    "Chefredaktion": [
        "portal.view_publisher",
        "portal.change_publisher",
        "portal.view_legaltext",
        "portal.change_legaltext",
    ],
}
