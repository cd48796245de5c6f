"""What ad sales may do with the IT-Guide and the campaigns, and what the newsroom may see."""

ROLES = {
    # Ad sales: the IT-Guide and the campaigns, nothing editorial.
    "Anzeigen": [
        f"ads.{action}_{model}"
        for model in ("category", "vendor", "campaign", "creative")
        for action in ("add", "change", "delete", "view")
    ]
    + ["ads.view_adday"],
    # The newsroom names the IT-Guide vendors an article is about.
    "Redaktion": ["ads.view_vendor"],
    "Chefredaktion": ["ads.view_vendor"],
}
