"""What the export of an admin list holds, whoever builds it (the request, or the background
job for a large XLSX): its headers and rows, and the audit entry that says who exported what.

A model with an import table exports that table's columns, so an export imports back as it
is; others the columns their admin declares (``export_columns``, ``core.importing.columns``);
an admin declaring neither, its django-import-export resource.
"""

from __future__ import annotations

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from import_export.formats.base_formats import XLSX

from realestate.core.importing.columns import ExportColumns
from realestate.core.importing.tables import table_of_model


def export_rows(admin, request, queryset, file_format, export_form=None):
    """(headers, row iterator) of the export: the admin's declared columns, else the import
    table's (a file that imports back), or (for an admin with neither) its resource. A list
    of money records whose import table takes only part of them (receivables: opening
    balances; payments: historical ones) declares its own columns."""
    columns = export_columns_of(admin)
    if columns is not None:
        return columns.headers, columns.rows(admin.export_queryset(request, queryset))
    table_class = table_of_model(admin.model)
    if table_class is not None:
        table = table_class(user=request.user)
        headers = [column.header for column in table.columns]
        return headers, table.export_rows(queryset)
    resource_class = admin.choose_export_resource_class(export_form, request)
    resource = resource_class(**admin.get_export_resource_kwargs(request))
    selected = admin.get_export_resource_fields_from_form(export_form)
    headers = resource.get_export_headers(selected_fields=selected)
    native = isinstance(file_format, XLSX)
    rows = (
        resource.export_resource(obj, selected_fields=selected, force_native_type=native)
        for obj in resource.iter_queryset(queryset)
    )
    return headers, rows


def export_columns_of(admin) -> ExportColumns | None:
    """The admin's declared columns, resolved once per admin."""
    specs = getattr(admin, "export_columns", None)
    if not specs:
        return None
    resolved = admin.__dict__.get("_export_columns")
    if resolved is None:
        resolved = admin._export_columns = ExportColumns(admin.model, specs)
    return resolved


def export_headers(admin, request) -> list[str] | None:
    """The export's headers, when the import table or the admin's columns decide them."""
    columns = export_columns_of(admin)
    if columns is not None:
        return columns.headers
    table_class = table_of_model(admin.model)
    if table_class is not None:
        return [column.header for column in table_class(user=request.user).columns]
    return None


def export_log(user, model, count: int, file_format: str, what: str = "") -> None:
    """Who exported what, and how many rows, in the audit log: one entry per export."""
    plural = model._meta.verbose_name_plural
    LogEntry.objects.create(
        user_id=user.pk,
        content_type=ContentType.objects.get_for_model(model),
        object_id=None,
        object_repr=f"Export of {count} {plural}",
        action_flag=CHANGE,
        change_message=f"Exported {count} {plural} as {file_format}"
        + (f" ({what})." if what else "."),
    )


def rows_described(query: str, selected) -> str:
    """The audit entry's words for which rows went out."""
    if selected:
        return "selected rows"
    return f"list filtered by {query}" if query else "whole list"
