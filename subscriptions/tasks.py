"""The subscriptions' periodic tasks, where the clock (portal.lib.tasks.every) finds them."""

from subscriptions import mail, retention  # noqa: F401 - defining their tasks registers them
