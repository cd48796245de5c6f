"""The subscriptions app's management commands (in commands/)."""
