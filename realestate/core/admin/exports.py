"""Exports from the admin's lists: CSV streamed as it is written, XLSX built in constant
memory, both safe to open in a spreadsheet (``core.importing.exporting``), both logged.

The rows are the changelist's (filtered, searched, or the selected ones), which the scoping
mixin has already narrowed to what the user may see. A model with an import table exports
that table's columns, so an export imports back as it is; others export their resource.
"""

from __future__ import annotations

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, StreamingHttpResponse
from import_export.formats.base_formats import CSV, XLSX
from import_export.signals import post_export

from realestate.core.importing.exporting import XLSX_CONTENT_TYPE, csv_stream, xlsx_file
from realestate.core.importing.tables import table_of_model


def export_rows(admin, request, queryset, file_format, export_form=None):
    """(headers, row iterator) of the export, from the import table or the resource."""
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


def export_log(user, model, count: int, file_format: str) -> None:
    """Who exported what, and how many rows, in the audit log."""
    plural = model._meta.verbose_name_plural
    LogEntry.objects.create(
        user_id=user.pk,
        content_type=ContentType.objects.get_for_model(model),
        object_id=None,
        object_repr=f"Export of {count} {plural}",
        action_flag=CHANGE,
        change_message=f"Exported {count} {plural} as {file_format}.",
    )


class SafeExportMixin:
    """CSV and XLSX only, streamed or built in constant memory, formulas escaped, logged."""

    formats = [CSV, XLSX]

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        if not self.has_export_permission(request):
            raise PermissionDenied
        count = queryset.count()
        headers, rows = export_rows(self, request, queryset, file_format, export_form)
        filename = self.get_export_filename(request, queryset, file_format)
        if isinstance(file_format, XLSX):
            response = FileResponse(
                xlsx_file(headers, rows, title=str(self.model._meta.verbose_name_plural)),
                as_attachment=True,
                filename=filename,
                content_type=XLSX_CONTENT_TYPE,
            )
        else:
            response = StreamingHttpResponse(
                csv_stream(headers, rows), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        export_log(
            request.user, self.model, count, "XLSX" if isinstance(file_format, XLSX) else "CSV"
        )
        post_export.send(sender=None, model=self.model)
        return response
