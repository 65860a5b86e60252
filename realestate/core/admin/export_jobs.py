"""The "Exports" pages: each large XLSX export built in the background, its progress bar while
it runs, then its file, which only whoever asked for it (or an administrator) may download."""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.decorators import display

from realestate.core.admin.base import MissingIs404Mixin
from realestate.core.admin.display import DANGER, GOOD, INFO, NEUTRAL
from realestate.core.models import ExportJob

STATUS_COLOURS = {
    ExportJob.Status.QUEUED: NEUTRAL,
    ExportJob.Status.RUNNING: INFO,
    ExportJob.Status.DONE: GOOD,
    ExportJob.Status.FAILED: DANGER,
}


def records_of(job: ExportJob) -> str:
    try:
        return str(apps.get_model(job.model)._meta.verbose_name_plural).capitalize()
    except (LookupError, ValueError):
        return job.model


def may_download(user, job: ExportJob) -> bool:
    return job.user_id == user.pk or user.is_superuser


@admin.register(ExportJob)
class ExportJobAdmin(MissingIs404Mixin, ModelAdmin):
    """Everybody sees their own exports; administrators see all."""

    list_display = ["id", "created_at", "user", "records", "state", "done", "total"]
    list_select_related = ["user"]
    list_filter = ["status", "model"]
    search_fields = ["user__username"]
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(user=request.user)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        return obj is None or may_download(user, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @display(description=_("Records"), ordering="model")
    def records(self, obj):
        return records_of(obj)

    @display(description=_("Status"), label=STATUS_COLOURS)
    def state(self, obj):
        return obj.status, obj.get_status_display()

    def get_urls(self):
        return [
            path(
                "<int:object_id>/progress/",
                self.admin_site.admin_view(self.progress_view),
                name="core_exportjob_progress",
            ),
            path(
                "<int:object_id>/file/",
                self.admin_site.admin_view(self.file_view),
                name="core_exportjob_file",
            ),
            *super().get_urls(),
        ]

    def job_or_404(self, request, object_id) -> ExportJob:
        return get_object_or_404(self.get_queryset(request), pk=object_id)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self.job_or_404(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Export of %(records)s") % {"records": records_of(job).lower()},
            "records": records_of(job),
            "opts": self.model._meta,
            "job": job,
            "original": job,
            "progress": job,
            "progress_url": reverse("admin:core_exportjob_progress", args=[job.pk]),
            "running": not job.is_finished,
        }
        return TemplateResponse(request, "admin/core/export_job.html", context)

    def progress_view(self, request, object_id):
        return JsonResponse(self.job_or_404(request, object_id).progress_json())

    def file_view(self, request, object_id):
        job = self.job_or_404(request, object_id)
        if not may_download(request.user, job) or not job.file:
            raise Http404
        name = f"{job.model.split('.')[-1]}-export-{job.pk}.xlsx"
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=name)
