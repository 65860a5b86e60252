"""The documents app's admin, one module per record."""

from realestate.documents.admin import company, templates  # noqa: F401
