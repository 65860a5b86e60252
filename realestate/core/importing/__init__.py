"""Import and export of records as CSV and XLSX (see ``files``, ``exporting``, ``tables``)."""

from realestate.core.importing.resources import (
    BaseResource,
    CodeForeignKeyWidget,
    CoordinateField,
)

__all__ = ["BaseResource", "CodeForeignKeyWidget", "CoordinateField"]
