"""Admin for records as they happened: shown, never added, changed or deleted here."""


class ReadOnlyMixin:
    """Records as they happened: viewable, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
