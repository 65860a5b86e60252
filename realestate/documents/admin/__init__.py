"""The documents app's admin, one module per record."""

from realestate.documents.admin import company  # noqa: F401
