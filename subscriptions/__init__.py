"""Subscriptions: contracts with their declarations, the newsletter, and the mail outbox."""
