"""The back office's groups and what each may do.

Data migrations call apply_roles() whenever a model adds permissions, so the
groups on every database match this table. Apps that arrive later (ads,
subscriptions) add their permissions to "Anzeigen" and "Aboverwaltung" the
same way, from their own migrations.
"""

WRITE_ARTICLES = [
    "articles.add_article",
    "articles.change_article",
    "articles.view_article",
    "articles.add_articlelink",
    "articles.change_articlelink",
    "articles.delete_articlelink",
    "articles.view_articlelink",
    "articles.add_image",
    "articles.change_image",
    "articles.view_image",
    "articles.add_tag",
    "articles.view_tag",
    "articles.view_section",
    # To choose the author of an article (the admin's autocomplete needs it).
    "auth.view_user",
    # To name the IT-Guide vendors an article is about.
    "ads.view_vendor",
]

# Ad sales: the IT-Guide and the campaigns, nothing editorial.
SELL_ADS = [
    f"ads.{action}_{model}"
    for model in ("category", "vendor", "campaign", "creative")
    for action in ("add", "change", "delete", "view")
] + ["ads.view_adday"]

# The subscription service: the only group that sees subscriber data.
# Declarations are never added or deleted by hand; "change" is matching them.
MANAGE_SUBSCRIPTIONS = [
    *[f"subscriptions.{action}_{model}" for model in ("plan", "subscriber", "subscription",
      "newsletterissue") for action in ("add", "change", "view")],
    "subscriptions.view_declaration",
    "subscriptions.change_declaration",
    "subscriptions.view_effect",
    "subscriptions.view_outgoingmail",
    "subscriptions.change_outgoingmail",
    "subscriptions.view_newsletterconsent",
]  # fmt: skip

ROLES = {
    # Write and edit, submit for review; cannot publish, unpublish or delete.
    "Redaktion": WRITE_ARTICLES,
    # Everything the newsroom does, plus publishing, taking back and deleting.
    "Chefredaktion": [
        *WRITE_ARTICLES,
        "articles.publish_article",
        "articles.delete_article",
        "articles.delete_image",
        "articles.change_tag",
        "articles.delete_tag",
        "articles.add_section",
        "articles.change_section",
        # The Impressum and the legal texts.
        "portal.view_publisher",
        "portal.change_publisher",
        "portal.view_legaltext",
        "portal.change_legaltext",
    ],
    # Ads and the vendor directory.
    "Anzeigen": SELL_ADS,
    # Subscribers, contracts, declarations, the outbox and the newsletter.
    "Aboverwaltung": MANAGE_SUBSCRIPTIONS,
}


def apply_roles(apps, schema_editor):
    """Create the groups and grant what ROLES lists (permissions not yet there are skipped)."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; a fresh database needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in permissions:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission:
                group.permissions.add(permission)
