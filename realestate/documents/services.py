"""Document services: filing a file as a document of a record, as a new version; uploading
(checked first, see ``checks``); deleting.

Uploads and generated PDFs both come through ``document_add``: the file's size and checksum
are computed here, the version number is taken under the document's row lock. Uploads come
through ``document_upload``, which checks who uploads and what, and stores nothing refused.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import PurePath

from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from realestate.core.workflow import step
from realestate.documents.checks import document_file_check, file_name
from realestate.documents.models import Document, DocumentVersion

#: The role permission an upload needs, besides the right to change its record.
UPLOAD_PERMISSION = "documents.add_document"


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
        try:
            version.save()
        except Exception:
            # The file was written before its row: without the row it goes too.
            version.file.storage.delete(version.file.name)
            raise
    return version


def may_upload(user, record: models.Model) -> bool:
    """Whether ``user`` may file documents on ``record``: their role lets them upload
    (every role but the Auditor's) and they may change the record (its agent, its
    manager, a role that changes every row of its kind)."""
    if user is None or not user.is_active or not user.has_perm(UPLOAD_PERMISSION):
        return False
    return type(record)._default_manager.restrict(user, "change").filter(pk=record.pk).exists()


def document_upload(
    *,
    record: models.Model,
    file,
    kind: str = "",
    title: str = "",
    by=None,
    expires_on: date | None = None,
    document: Document | None = None,
) -> DocumentVersion:
    """Check an uploaded file (type, content, size, viruses: ``checks``) and file it on
    ``record``: as the next version of ``document`` when given, else of the record's document
    of this kind and title (the file's name without its extension when no title is given),
    made if new. A refused file raises ``ValidationError`` naming it; nothing is stored."""
    if by is not None and not may_upload(by, record):
        raise PermissionDenied(_("You may not add documents to %(record)s.") % {"record": record})
    name = file_name(file)
    if document is not None:
        if (document.content_type_id, document.object_id) != (
            ContentType.objects.get_for_model(type(record)).pk,
            record.pk,
        ):
            raise ValidationError(_("That document belongs to another record."))
        kind, title = document.kind, document.title
    if not kind:
        raise ValidationError(_("Say what kind of document “%(name)s” is.") % {"name": name})
    checked = document_file_check(file, name)
    return document_add(
        record=record,
        kind=kind,
        title=(title or PurePath(name).stem)[:200],
        file=file,
        content_type=checked.content_type,
        by=by,
        original_name=name,
        expires_on=expires_on,
        document=document,
    )


@step(
    _lazy("Delete document"),
    record="document",
    permission="documents.delete_document",
    log_on=None,  # logged below, before the row and its id are gone
)
def document_delete(*, document: Document, by=None) -> None:
    """Delete a document and every version's file (administrators only). The audit log keeps
    what was deleted: the document, its record, and each version's file and checksum."""
    with transaction.atomic():
        versions = list(document.versions.order_by("number"))
        files = [version.file for version in versions]
        if by is not None:
            LogEntry.objects.log_actions(
                user_id=by.pk,
                queryset=[document],
                action_flag=DELETION,
                change_message=_(
                    "Delete document: “%(title)s” (%(kind)s) of %(type)s %(record)s; %(versions)s"
                )
                % {
                    "title": document.title,
                    "kind": document.get_kind_display(),
                    "type": document.content_type.name,
                    "record": document.record or document.object_id,
                    "versions": "; ".join(
                        f"v{v.number} {v.original_name} sha256:{v.sha256}" for v in versions
                    ),
                },
                single_object=True,
            )
        document.delete()
        transaction.on_commit(lambda: [stored.delete(save=False) for stored in files])
