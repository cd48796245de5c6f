"""The mail worker and the demo data, as manage.py commands."""
