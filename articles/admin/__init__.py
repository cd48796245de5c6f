"""The back office of articles; each module registers its models with the admin site."""

from articles.admin import article, pictures, taxonomy  # noqa: F401
