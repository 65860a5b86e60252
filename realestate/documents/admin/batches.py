"""Document batches: start one (a month's records of a kind), watch its progress, download
its ZIP, come back to it from the list; and the download of a filed PDF, checked against its
checksum. Each user sees the batches they started (administrators see all)."""

from __future__ import annotations

import hashlib
from datetime import date

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.decorators import display
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminTextInputWidget

from realestate.core.admin.base import ListExportMixin, MissingIs404Mixin
from realestate.documents.batches import month_batch_start
from realestate.documents.choices import Language
from realestate.documents.kinds import KINDS
from realestate.documents.models import Document, DocumentVersion, GenerationBatch


class MonthBatchForm(forms.Form):
    kind = forms.ChoiceField(label=_("Documents"), widget=UnfoldAdminSelectWidget)
    month = forms.CharField(
        label=_("Month"),
        widget=UnfoldAdminTextInputWidget(attrs={"type": "month"}),
        help_text=_("As 2026-11."),
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=Language.choices, widget=UnfoldAdminSelectWidget
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (spec.kind, spec.month_label) for spec in KINDS.values() if spec.month_records
        ]

    def clean_month(self) -> date:
        value = self.cleaned_data["month"].strip()
        try:
            year, month = (int(part) for part in value.split("-"))
            return date(year, month, 1)
        except ValueError:
            raise ValidationError(
                _("“%(value)s” is not a month: write it as 2026-11.") % {"value": value}
            ) from None


@admin.register(GenerationBatch)
class GenerationBatchAdmin(ListExportMixin, MissingIs404Mixin, ModelAdmin):
    export_columns = [
        ("id", "Batch"),
        "created_at",
        "kind",
        "language",
        "description",
        ("created_by__username", "Started by"),
        "status",
        "total",
        "generated",
        "unchanged",
        "skipped",
        "failed",
        "finished_at",
    ]
    list_display = [
        "created_at",
        "kind",
        "description",
        "created_by",
        "status_display",
        "progress_display",
        "generated",
        "unchanged",
        "skipped",
        "failed",
        "zip_link",
    ]
    list_filter = ["kind", "status"]
    list_select_related = ["created_by"]
    date_hierarchy = "created_at"

    # --- who sees what: staff see their own batches, administrators everybody's --------
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(created_by=request.user)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False  # batches start from a list's bulk action or the month form ("start/")

    list_before_template = "admin/documents/generationbatch/start_link.html"

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # --- columns -------------------------------------------------------------------------
    @display(description=_("status"))
    def status_display(self, obj):
        return obj.get_status_display()

    @display(description=_("progress"))
    def progress_display(self, obj):
        return f"{obj.done} / {obj.total}"

    @display(description=_("ZIP"))
    def zip_link(self, obj):
        if not obj.file:
            return "—"
        url = reverse("admin:documents_generationbatch_zip", args=[obj.pk])
        return format_html('<a href="{}" class="underline">{}</a>', url, _("Download"))

    # --- pages ---------------------------------------------------------------------------
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("start/", wrap(self.start_view), name="documents_generationbatch_start"),
            path(
                "<int:pk>/progress/",
                wrap(self.progress_view),
                name="documents_generationbatch_progress",
            ),
            path("<int:pk>/zip/", wrap(self.zip_view), name="documents_generationbatch_zip"),
            path(
                "version/<int:pk>/",
                wrap(self.version_view),
                name="documents_generationbatch_version",
            ),
            *super().get_urls(),
        ]

    def _batch(self, request, pk) -> GenerationBatch:
        batch = self.get_queryset(request).filter(pk=pk).first()
        if batch is None:
            raise Http404(_("No such batch, or not one you may see."))
        return batch

    def change_view(self, request, object_id, form_url="", extra_context=None):
        batch = self._batch(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "title": str(batch),
            "batch": batch,
            "opts": self.model._meta,
            "original": batch,
            "progress_url": reverse("admin:documents_generationbatch_progress", args=[batch.pk]),
            "zip_url": reverse("admin:documents_generationbatch_zip", args=[batch.pk])
            if batch.file
            else "",
            "list_url": reverse("admin:documents_generationbatch_changelist"),
            "errors": batch.errors.splitlines(),
        }
        return TemplateResponse(request, "admin/documents/generationbatch/batch.html", context)

    def start_view(self, request):
        if not self.has_module_permission(request):
            raise Http404
        form = MonthBatchForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                batch = month_batch_start(
                    kind=form.cleaned_data["kind"],
                    month=form.cleaned_data["month"],
                    by=request.user,
                    language=form.cleaned_data["language"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, _("The batch has started."), messages.SUCCESS)
                return redirect(reverse("admin:documents_generationbatch_change", args=[batch.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Generate a month's documents"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/documents/generationbatch/start.html", context)

    def progress_view(self, request, pk):
        return JsonResponse(self._batch(request, pk).progress_json())

    def zip_view(self, request, pk):
        batch = self._batch(request, pk)
        if not batch.file:
            raise Http404(_("This batch has no ZIP yet."))
        return FileResponse(
            batch.file.open("rb"),
            as_attachment=True,
            filename=f"{batch.kind}-batch-{batch.pk}.zip",
            content_type="application/zip",
        )

    def version_view(self, request, pk):
        """A filed PDF as it was filed: its bytes are checked against the recorded SHA-256
        before they are served (the same checksum is sent along)."""
        version = (
            DocumentVersion.objects.filter(
                pk=pk, document__in=Document.objects.restrict(request.user, "view")
            )
            .select_related("document")
            .first()
        )
        if version is None:
            raise Http404(_("No such document, or not one you may see."))
        with version.file.open("rb") as stored:
            content = stored.read()
        if hashlib.sha256(content).hexdigest() != version.sha256:
            return HttpResponse(
                _("The stored file no longer matches the checksum it was filed with."),
                status=409,
                content_type="text/plain; charset=utf-8",
            )
        response = HttpResponse(content, content_type=version.content_type)
        response["Content-Disposition"] = f'attachment; filename="{version.original_name}"'
        response["X-Checksum-SHA256"] = version.sha256
        response["X-Content-Type-Options"] = "nosniff"
        return response
