"""Generating a document of a record from the active template of its kind, and filing it.

``document_generate`` is the one way the admin, the batches and the benchmarks make a PDF:
the record must be one the user may see (out of scope looks like missing), the kind's data is
built (``kinds``), rendered by the template's latest saved version (``rendering``) and filed
as the next version of the record's document (``services.document_add``), which records the
template version that made it. A PDF that comes out exactly as the current version (same
checksum, same template version) is not filed again: regenerating changes nothing then.
"""

from __future__ import annotations

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.template import TemplateSyntaxError, VariableDoesNotExist
from django.utils.translation import gettext as _

from realestate.core.workflow import StepRefused
from realestate.documents.choices import Language
from realestate.documents.kinds import GeneratedKind, kind_for
from realestate.documents.models import (
    Document,
    DocumentTemplate,
    DocumentTemplateVersion,
    DocumentVersion,
)
from realestate.documents.rendering import TemplateProblem, render_pdf
from realestate.documents.services import document_add

PDF = "application/pdf"


def template_active(kind: str, language: str = Language.ENGLISH) -> DocumentTemplate:
    """The active template of ``kind`` in ``language``; a clear refusal when there is none."""
    template = DocumentTemplate.objects.filter(kind=kind, language=language, is_active=True).first()
    if template is None:
        spec = kind_for(kind)
        raise ValidationError(
            _(
                "No active %(kind)s template in %(language)s: activate one under Documents → "
                "Templates first."
            )
            % {"kind": spec.label.lower(), "language": Language(language).label}
        )
    return template


def template_version_latest(template: DocumentTemplate) -> DocumentTemplateVersion:
    """The template's latest saved version (version 1, made now, for a template saved before
    versions were kept)."""
    version = template.versions.order_by("-number").first()
    if version is None:
        with transaction.atomic():
            version, _created = DocumentTemplateVersion.objects.get_or_create(
                template=template,
                number=1,
                defaults={
                    "body": template.body,
                    "css": template.css,
                    "page_size": template.page_size,
                },
            )
    return version


def record_in_scope(spec: GeneratedKind, record: models.Model, user) -> None:
    """Refuse (as missing) a record ``user`` may not see. ``user=None`` is the system."""
    if user is None:
        return
    if not spec.model._default_manager.restrict(user, "view").filter(pk=record.pk).exists():
        raise StepRefused(_("No such record, or not one you may see."), out_of_scope=True)


def _current(record: models.Model, spec: GeneratedKind, title: str) -> DocumentVersion | None:
    document = Document.objects.filter(
        content_type=ContentType.objects.get_for_model(type(record)),
        object_id=record.pk,
        kind=spec.document_kind,
        title=title,
    ).first()
    return document.versions.order_by("-number").first() if document else None


def document_render(*, record: models.Model, kind: str, language: str = Language.ENGLISH, **params):
    """(PDF bytes, template version, title) of the record's document of ``kind``, not filed."""
    spec = kind_for(kind)
    version = template_version_latest(template_active(kind, language))
    context = spec.context(record, **params)
    assets = spec.assets(record) if spec.assets else ()
    try:
        content = render_pdf(version, context, assets=assets)
    except (TemplateSyntaxError, VariableDoesNotExist) as error:
        # Raised while rendering (a filter's argument that names nothing): the template's
        # fault, said as such, never a server error.
        info = getattr(error, "template_debug", None) or {}
        raise TemplateProblem(str(error), info.get("line")) from None
    title = spec.title(record, **params)
    if language != Language.ENGLISH:  # a document of its own beside the English one
        title = f"{title} ({Language(language).label})"
    return content, version, title


def document_generate(
    *, record: models.Model, kind: str, by=None, language: str = Language.ENGLISH, **params
) -> DocumentVersion:
    """Render the record's document of ``kind`` from the active template and file it as a new
    version of the record's document of that title; the current version when the PDF is
    unchanged. The result's ``generated_now`` says which (False: nothing was filed).
    ``params`` go to the kind (a statement's ``start`` and ``end``)."""
    spec = kind_for(kind)
    record_in_scope(spec, record, by)
    content, template_version, title = document_render(
        record=record, kind=kind, language=language, **params
    )
    with transaction.atomic():
        # Two clicks at once: the second waits for the first's document under the record's
        # lock (rendering, the slow part, is done outside it), then finds it unchanged.
        list(type(record)._default_manager.select_for_update().filter(pk=record.pk).values("pk"))
        current = _current(record, spec, title)
        if (
            current is not None
            and current.template_version_id == template_version.pk
            and current.sha256 == hashlib.sha256(content).hexdigest()
        ):
            current.generated_now = False
            return current
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in title).strip("-")
        version = document_add(
            record=record,
            kind=spec.document_kind,
            title=title,
            file=content,
            content_type=PDF,
            by=by,
            original_name=f"{safe}.pdf",
            template_version=template_version,
        )
    version.generated_now = True
    return version
