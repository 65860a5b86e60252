"""The upload page of a record's documents, shared by the Documents tab ("Upload documents",
"New version") and the contract and lease pages ("Upload signed copy"): a form, then what was
stored and what was refused, file by file."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from unfold.decorators import action, display

from realestate.core.workflow import STEPS
from realestate.documents.forms import SignedCopyForm
from realestate.documents.selectors import current_version


@dataclass
class UploadOutcome:
    """What became of each file of one upload."""

    stored: list = field(default_factory=list)  # DocumentVersion
    refused: list[tuple[str, list[str]]] = field(default_factory=list)  # (file name, messages)

    def run(self, name: str, store) -> None:
        """Store one file with ``store()``; a refusal is kept against its file's name."""
        try:
            self.stored.append(store())
        except ValidationError as error:
            self.refused.append((name, error.messages))


def record_url(record) -> str:
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def upload_page(request, *, record, form, heading, outcome=None, back_url=None):
    opts = record._meta
    return TemplateResponse(
        request,
        "documents/admin/upload.html",
        {
            **admin.site.each_context(request),
            "title": heading,
            "record": record,
            "record_opts": opts,
            "opts": opts,
            "form": form,
            "outcome": outcome,
            "back_url": back_url or f"{record_url(record)}#documents",
        },
    )


def signed_copy_page(request, *, record, attach):
    """“Upload signed copy” on a contract's or a lease's page: one file, filed and marked by
    ``attach(file)`` (the record's own service); a refusal shows against the file."""
    form = SignedCopyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            attach(form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(
                request, _("The signed copy of %(record)s is filed.") % {"record": record}
            )
            return redirect(f"{record_url(record)}#documents")
    return upload_page(
        request,
        record=record,
        form=form,
        heading=_("Upload signed copy of %(record)s") % {"record": record},
    )


class SignedCopyMixin:
    """“Upload signed copy” on a contract's or a lease's page (a detail action named
    ``upload_signed_copy``): shown to whom the record's step (``signed_copy_step``, a
    ``core.workflow`` step taking ``file``) allows, on records ``signed_copy_applies`` to.
    The record's page shows the copy (``signed_copy``)."""

    signed_copy_step: str = ""  # "app.service_name" in core.workflow.STEPS

    def signed_copy_applies(self, record) -> bool:
        return True

    def _signed_copy_service(self):
        return STEPS[self.signed_copy_step]

    def has_upload_signed_copy_permission(self, request, object_id=None) -> bool:
        rule = self._signed_copy_service().rule
        if object_id is None:
            return rule.may_at_all(request.user)
        record = self.get_object(request, object_id)
        in_scope = lambda action: self._may(request, action, record)  # noqa: E731
        return (
            self.signed_copy_applies(record)
            and rule.refusal(request.user, record, in_scope=in_scope) is None
        )

    @action(
        description=_lazy("Upload signed copy"),
        url_path="upload-signed-copy",
        icon="upload_file",
        permissions=["upload_signed_copy"],
    )
    def upload_signed_copy(self, request, object_id):
        record = self.get_object(request, object_id)
        service = self._signed_copy_service()
        return signed_copy_page(
            request,
            record=record,
            attach=lambda file: service(
                **{service.rule.record: record}, file=file, by=request.user
            ),
        )

    @display(description=_lazy("Signed copy"))
    def signed_copy(self, obj):
        version = current_version(obj.signed_document) if obj.signed_document_id else None
        if version is None:
            return _("Not uploaded yet.")
        return format_html(
            '<a href="{}" class="text-primary-600 dark:text-primary-500 hover:underline">{}</a>'
            ' <span class="text-base-500">v{}</span>',
            version.file.url,
            version.original_name,
            version.number,
        )
