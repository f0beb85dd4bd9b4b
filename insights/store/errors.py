"""The store's errors: each names what went wrong in words a programme director understands."""


class StoreError(Exception):
    """Base class of the store's errors."""


class SchemaTooNewError(StoreError):
    """The database was written by a newer version of the application."""
