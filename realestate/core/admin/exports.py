"""Exports from the admin's lists: CSV streamed as it is written, XLSX built in constant
memory, both safe to open in a spreadsheet (``core.importing.exporting``), both logged.

The rows are the changelist's (filtered, searched, or the selected ones), which the scoping
mixin has already narrowed to what the user may see. A model with an import table exports
that table's columns, so an export imports back as it is; others the columns their admin
declares (``export_columns``, see ``core.importing.columns``). An XLSX of more rows than
``EXPORT_BACKGROUND_ROWS`` is built by a background job (``core.importing.export_jobs``),
followed on the "Exports" page, then downloaded by whoever asked for it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from import_export.formats.base_formats import CSV, XLSX
from import_export.signals import post_export

from realestate.core.importing import export_jobs
from realestate.core.importing.exporting import XLSX_CONTENT_TYPE, csv_stream, xlsx_file
from realestate.core.importing.list_exports import (
    export_headers,
    export_log,
    export_rows,
    rows_described,
)


class SafeExportMixin:
    """CSV and XLSX only, streamed or built in constant memory, formulas escaped, logged."""

    formats = [CSV, XLSX]
    #: The columns of the export when the model has no import table (``core.importing
    #: .columns``): paths such as ``"unit__code"``, or ``(path, header)``, or ``Col``.
    export_columns: list = []

    def export_queryset(self, request, queryset):
        """The export's queryset, for annotations its columns read (hook)."""
        return queryset

    def init_request_context_data(self, request, form):
        """The export page lists the columns the file will hold, in their own words."""
        context = super().init_request_context_data(request, form)
        headers = export_headers(self, request)
        if headers is not None:
            context["fields_list"] = [(str(self.model._meta.verbose_name_plural), headers)]
        return context

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        if not self.has_export_permission(request):
            raise PermissionDenied
        count = queryset.count()
        selected = []
        if export_form is not None and "export_items" in export_form.changed_data:
            selected = export_form.cleaned_data["export_items"]
        if isinstance(file_format, XLSX) and count > settings.EXPORT_BACKGROUND_ROWS:
            job = export_jobs.job_queue(
                user=request.user,
                model=self.model,
                query=request.GET.urlencode(),
                selected=selected,
                total=count,
            )
            return redirect(reverse("admin:core_exportjob_change", args=[job.pk]))
        export_log(
            request.user,
            self.model,
            count,
            "XLSX" if isinstance(file_format, XLSX) else "CSV",
            what=rows_described(request.GET.urlencode(), selected),
        )
        headers, rows = export_rows(self, request, queryset, file_format, export_form)
        filename = self.get_export_filename(request, queryset, file_format)
        if isinstance(file_format, XLSX):
            response = FileResponse(
                xlsx_file(
                    headers, rows, title=str(self.model._meta.verbose_name_plural).capitalize()
                ),
                as_attachment=True,
                filename=filename,
                content_type=XLSX_CONTENT_TYPE,
            )
        else:
            response = StreamingHttpResponse(
                csv_stream(headers, rows), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        post_export.send(sender=None, model=self.model)
        return response
