"""Document services: filing a file as a document of a record, as a new version; deleting.

Uploads and generated PDFs both come through ``document_add``: the file's size, checksum and
content type are computed here, the version number is taken under the document's row lock.
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from realestate.core.workflow import step
from realestate.documents.models import Document, DocumentVersion


def sha256_of(file) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def document_add(
    *,
    record: models.Model,
    kind: str,
    title: str,
    file,
    content_type: str,
    by=None,
    original_name: str | None = None,
    expires_on: date | None = None,
    template_version=None,
    document: Document | None = None,
) -> DocumentVersion:
    """File ``file`` as the next version of the record's document (``document``, or the one of
    this kind and title, made if new). The file must have been checked already (type, size,
    viruses): this only stores it. ``file`` is a Django ``File`` or bytes."""
    if isinstance(file, bytes):
        file = ContentFile(file, name=original_name or f"{title}.pdf")
    name = original_name or getattr(file, "name", None) or title
    if not getattr(record, "takes_documents", False):
        raise ValidationError(_("%(record)s does not take documents.") % {"record": record})
    with transaction.atomic():
        if document is None:
            document, _created = Document.objects.get_or_create(
                content_type=ContentType.objects.get_for_model(type(record)),
                object_id=record.pk,
                kind=kind,
                title=title,
                defaults={"expires_on": expires_on},
            )
        document = Document.objects.select_for_update().get(pk=document.pk)
        if expires_on is not None and document.expires_on != expires_on:
            document.expires_on = expires_on
        document.save()  # its updated_at says when it last changed
        last = document.versions.aggregate(n=models.Max("number"))["n"] or 0
        version = DocumentVersion(
            document=document,
            number=last + 1,
            original_name=name.rsplit("/", 1)[-1][:255],
            size=file.size,
            content_type=content_type,
            sha256=sha256_of(file),
            uploaded_by=by,
            template_version=template_version,
        )
        version.file.save(version.original_name, file, save=False)
        version.save()
    return version


@step(_lazy("Delete document"), record="document", permission="documents.delete_document")
def document_delete(*, document: Document, by=None) -> None:
    """Delete a document and every version's file (administrators only; logged)."""
    with transaction.atomic():
        files = [version.file for version in document.versions.all()]
        document.delete()
        transaction.on_commit(lambda: [stored.delete(save=False) for stored in files])
