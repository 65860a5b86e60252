"""The upload page of a record's documents (``admin:documents_document_upload``): several
files at once, each checked and filed on its own (a refused file is named with the reason,
the others are stored), or one new version of a document (``?document=<id>``).

The record must be one the user may see (else 404, as a missing one) and change, with a role
that uploads (else 403)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from realestate.documents.forms import DocumentUploadForm
from realestate.documents.models import Document, document_models
from realestate.documents.pages import UploadOutcome, record_url, upload_page
from realestate.documents.services import document_upload, may_upload

MISSING = _("No such record, or not one you may see.")


def visible_record(user, content_type_id: int, object_id: int):
    """The record, if it takes documents and ``user`` may see it; else 404."""
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        model = None
    if model not in document_models():
        raise Http404(MISSING)
    record = model._default_manager.restrict(user, "view").filter(pk=object_id).first()
    if record is None:
        raise Http404(MISSING)
    return record


def upload_view(request, content_type_id: int, object_id: int):
    record = visible_record(request.user, content_type_id, object_id)
    if not may_upload(request.user, record):
        raise PermissionDenied(
            _("You may see %(record)s but not add documents to it.") % {"record": record}
        )
    document = None
    if request.GET.get("document"):
        document = (
            Document.objects.restrict(request.user, "view")
            .filter(
                pk=request.GET["document"] if request.GET["document"].isdigit() else 0,
                content_type_id=content_type_id,
                object_id=record.pk,
            )
            .first()
        )
        if document is None:
            raise Http404(MISSING)
    heading = (
        _("New version of “%(title)s”") % {"title": document.title}
        if document
        else _("Upload documents")
    )
    if request.method != "POST":
        form = DocumentUploadForm(document=document, initial={"kind": request.GET.get("kind")})
        return upload_page(request, record=record, form=form, heading=heading)

    form = DocumentUploadForm(request.POST, request.FILES, document=document)
    if not form.is_valid():
        return upload_page(request, record=record, form=form, heading=heading)
    files = form.cleaned_data["files"]
    outcome = UploadOutcome()
    for file, title in zip(files, form.titles(files), strict=True):
        outcome.run(
            file.name,
            lambda file=file, title=title: document_upload(
                record=record,
                file=file,
                kind=form.cleaned_data.get("kind", ""),
                title=title,
                expires_on=form.cleaned_data.get("expires_on"),
                document=document,
                by=request.user,
            ),
        )
    if outcome.refused:
        # Back to the form, with each refused file's reason (the stored ones listed too).
        form = DocumentUploadForm(document=document, initial=request.POST.dict())
        return upload_page(request, record=record, form=form, heading=heading, outcome=outcome)
    messages.success(
        request,
        ngettext("%(count)s document filed.", "%(count)s documents filed.", len(outcome.stored))
        % {"count": len(outcome.stored)},
    )
    return redirect(f"{record_url(record)}#documents")
