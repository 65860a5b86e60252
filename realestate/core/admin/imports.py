"""Imports in the admin: the upload page of each importable list, its XLSX template, and the
"Imports" pages (each import's counts, preview, progress, files and the confirm button).

The confirm step posts to the import record's own URL: the file it imports is the one stored
with that record, on the server. No step takes a file name or a path from the browser.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin, ImportMixin
from unfold.admin import ModelAdmin
from unfold.decorators import display
from unfold.widgets import UnfoldAdminFileFieldWidget, UnfoldAdminSelectWidget

from realestate.core.admin.base import BaseAdmin, ListExportMixin, MissingIs404Mixin
from realestate.core.admin.display import DANGER, GOOD, INFO, NEUTRAL
from realestate.core.importing import jobs
from realestate.core.importing.files import ENCODINGS, ImportFileError, check_size, format_of
from realestate.core.importing.tables import table_for, table_of_model, tables
from realestate.core.importing.templates import template_file
from realestate.core.models import ImportJob


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV or XLSX; the first row names the columns."),
        widget=UnfoldAdminFileFieldWidget,
    )
    mode = forms.ChoiceField(
        label=_("Mode"),
        widget=UnfoldAdminSelectWidget,
        choices=ImportJob.Mode.choices,
        initial=ImportJob.Mode.ALL_OR_NOTHING,
        help_text=_(
            "All or nothing imports the file only if every row is valid. Import the valid "
            "rows leaves the others out and gives them back as a workbook to fix."
        ),
    )
    encoding = forms.ChoiceField(
        label=_("Encoding (CSV)"),
        choices=list(ENCODINGS.items()),
        initial="auto",
        widget=UnfoldAdminSelectWidget,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)
            self.file_format = format_of(upload.name)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


class ImportAdminMixin:
    """For a model admin whose model has an import table (``core.importing.tables``)."""

    def get_urls(self):
        prefix = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        # import-export's own import and confirm views are replaced, not kept beside.
        replaced = {f"{prefix}_import", f"{prefix}_process_import"}
        urls = [url for url in super().get_urls() if getattr(url, "name", None) not in replaced]
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_action),
                name=f"{prefix}_import",
            ),
            path(
                "import/template/",
                self.admin_site.admin_view(self.import_template_view),
                name=f"{prefix}_import_template",
            ),
            *urls,
        ]

    def has_import_permission(self, request):
        """The list's add permission; for records of people (``personal_data``), also "export
        personal data": an import's preview and rejected rows show what is stored."""
        if not super().has_import_permission(request):
            return False
        if getattr(self.model, "personal_data", False):
            return request.user.has_perm("accounts.export_personal_data")
        return True

    def import_table(self, request):
        table = table_of_model(self.model)
        if table is None:
            raise Http404
        return table(user=request.user)

    def import_action(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        table = self.import_table(request)
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            job = jobs.job_create(
                user=request.user,
                table=table.key(),
                upload=form.cleaned_data["file"],
                file_format=form.file_format,
                mode=form.cleaned_data["mode"],
                encoding=form.cleaned_data["encoding"],
            )
            jobs.job_start(job, write=False)
            return redirect(reverse("admin:core_importjob_change", args=[job.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import %(records)s") % {"records": table.verbose_name_plural},
            "opts": self.model._meta,
            "form": form,
            "table": table,
            "template_url": reverse(
                f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_import_template"
            ),
            "recent": ImportJob.objects.filter(user=request.user, table=table.key())[:5],
        }
        return TemplateResponse(request, "admin/core/import_upload.html", context)

    def import_template_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        table = self.import_table(request)
        return FileResponse(
            template_file(table),
            as_attachment=True,
            filename=f"{table.model._meta.model_name}-import-template.xlsx",
        )


class ImportExportAdmin(ImportAdminMixin, BaseAdmin, ImportExportModelAdmin):
    """CSV/XLSX import through the house importer, and the safe exports."""


class ImportButtonMixin(ImportAdminMixin, ImportMixin):
    """The Import button and pages on a list of records that workflows make (leases,
    receivables, payments), whose import table writes through the app's services."""


STATUS_COLOURS = {
    ImportJob.Status.QUEUED: NEUTRAL,
    ImportJob.Status.RUNNING: INFO,
    ImportJob.Status.DONE: GOOD,
    ImportJob.Status.FAILED: DANGER,
}


@admin.register(ImportJob)
class ImportJobAdmin(ListExportMixin, MissingIs404Mixin, ModelAdmin):
    """Everybody sees their own imports; holders of ``core.view_importjob`` see all."""

    export_columns = [
        ("id", "Import"),
        "created_at",
        ("user__username", "By"),
        "table",
        "file_name",
        "file_format",
        "mode",
        "phase",
        "status",
        "rows_new",
        "rows_changed",
        "rows_unchanged",
        "rows_invalid",
        "rows_written",
        "message",
    ]

    list_display = [
        "id",
        "created_at",
        "user",
        "records",
        "file_name",
        "state",
        "rows_new",
        "rows_changed",
        "rows_unchanged",
        "rows_invalid",
    ]
    list_select_related = ["user"]
    list_filter = ["status", "phase", "table"]
    search_fields = ["file_name", "user__username"]
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser or request.user.has_perm("core.view_importjob"):
            return queryset
        return queryset.filter(user=request.user)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        """Whoever may import into some list (or reads every import) opens the Imports."""
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        if user.is_superuser or user.has_perm("core.view_importjob"):
            return True
        return any(
            user.has_perm(f"{key.split('.')[0]}.add_{key.split('.')[1]}") for key in tables()
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("core.delete_importjob")

    @display(description=_("Records"), ordering="table")
    def records(self, obj):
        try:
            return str(table_for(obj.table).model._meta.verbose_name_plural).capitalize()
        except (KeyError, LookupError):
            return obj.table

    @display(description=_("Status"), label=STATUS_COLOURS)
    def state(self, obj):
        if obj.phase == ImportJob.Phase.CHECK and obj.status == ImportJob.Status.DONE:
            return obj.status, _("Checked: to confirm") if obj.can_confirm else _("Checked")
        return obj.status, f"{obj.get_phase_display()}: {obj.get_status_display()}"

    def get_urls(self):
        return [
            path(
                "<int:object_id>/progress/",
                self.admin_site.admin_view(self.progress_view),
                name="core_importjob_progress",
            ),
            path(
                "<int:object_id>/confirm/",
                self.admin_site.admin_view(self.confirm_view),
                name="core_importjob_confirm",
            ),
            path(
                "<int:object_id>/file/<str:which>/",
                self.admin_site.admin_view(self.file_view),
                name="core_importjob_file",
            ),
            *super().get_urls(),
        ]

    def job_or_404(self, request, object_id) -> ImportJob:
        return get_object_or_404(self.get_queryset(request), pk=object_id)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self.job_or_404(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "title": str(job),
            "records": table_for(job.table).model._meta.verbose_name_plural,
            "opts": self.model._meta,
            "job": job,
            "original": job,
            "progress": job,
            "progress_url": reverse("admin:core_importjob_progress", args=[job.pk]),
            "may_confirm": job.can_confirm and job.user_id == request.user.pk,
            "running": not job.is_finished,
        }
        return TemplateResponse(request, "admin/core/import_job.html", context)

    def progress_view(self, request, object_id):
        return JsonResponse(self.job_or_404(request, object_id).progress_json())

    def confirm_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        with transaction.atomic():
            job = get_object_or_404(self.get_queryset(request).select_for_update(), pk=object_id)
            if job.user_id != request.user.pk or not job.can_confirm:
                messages.error(request, _("This import cannot be confirmed (any more)."))
                return redirect(reverse("admin:core_importjob_change", args=[job.pk]))
            job._progress_update(phase=ImportJob.Phase.IMPORT, status=ImportJob.Status.QUEUED)
        jobs.job_start(job, write=True)
        return redirect(reverse("admin:core_importjob_change", args=[job.pk]))

    def file_view(self, request, object_id, which):
        job = self.job_or_404(request, object_id)
        stored = {"upload": job.file, "rejected": job.error_file}.get(which)
        if not stored:
            raise Http404
        name = job.file_name if which == "upload" else f"rejected-rows-{job.pk}.xlsx"
        return FileResponse(stored.open("rb"), as_attachment=True, filename=name)
