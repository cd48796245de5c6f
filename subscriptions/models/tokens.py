"""Secrets for links: random, and kept in the database only as their hash."""

import hashlib
import secrets


def new_token():
    """A secret for a link: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def token_hash(token):
    """What the database keeps of a link's secret: its hash, never the secret."""
    return hashlib.sha256(token.encode()).hexdigest()
