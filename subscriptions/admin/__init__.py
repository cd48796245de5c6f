"""The back office of the "Aboverwaltung" group: subscribers, contracts, declarations, mail.

Only that group (and superusers) holds these permissions (subscriptions.roles),
so only they see subscriber data. Declarations are read-only: the record
of what a person declared is never changed (database trigger), only
matched by hand when it found no contract by itself. Every look at subscriber data
here is logged (access.py).
"""

# Each module registers its models with the admin site when imported.
from subscriptions.admin import (  # noqa: F401
    access,
    contracts,
    declarations,
    newsletter,
    orders,
    outbox,
)
