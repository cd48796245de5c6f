"""The reader pages of articles, one module per kind of page."""
