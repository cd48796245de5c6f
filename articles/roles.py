"""What the newsroom's groups may do with articles, pictures, sections and tags."""

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
    # Not auth.view_user: the article form lists the newsroom's names itself
    # (articles.forms.editorial_staff), and the user directory stays closed.
]

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
    ],
}
