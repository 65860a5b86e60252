"""Services of the document templates: saving one (each save is a new version) and keeping
exactly one active template per kind and language.

(The documents' own services, filing and deleting, are in ``services.py``.)
"""

from __future__ import annotations

from django.db import models, transaction

from realestate.documents.models import DocumentTemplate, DocumentTemplateVersion
from realestate.documents.sandbox import compile_body


def template_save(*, template: DocumentTemplate, by=None) -> DocumentTemplateVersion:
    """Save ``template`` and record what was saved as its next version (number + 1, who).

    The body must compile in the sandbox (``TemplateProblem`` otherwise, with its line). An
    active template deactivates the one that was active for its kind and language, in the
    same transaction, under a lock on both, so two saves at once never leave two active.
    """
    compile_body(template.body)
    with transaction.atomic():
        if template.is_active:
            others = DocumentTemplate.objects.select_for_update().filter(
                kind=template.kind, language=template.language, is_active=True
            )
            if template.pk:
                others = others.exclude(pk=template.pk)
            for other in others:
                other.is_active = False
                other.save(update_fields=["is_active", "updated_at"])
        template.save()  # its row stays locked until commit: versions are numbered in turn
        last = template.versions.aggregate(n=models.Max("number"))["n"] or 0
        return DocumentTemplateVersion.objects.create(
            template=template,
            number=last + 1,
            body=template.body,
            css=template.css,
            page_size=template.page_size,
            saved_by=by,
        )


def template_activate(*, template: DocumentTemplate, by=None) -> DocumentTemplateVersion:
    """Make ``template`` the active one of its kind and language (a save, so a version)."""
    template.is_active = True
    return template_save(template=template, by=by)


def template_current_version(template: DocumentTemplate) -> DocumentTemplateVersion:
    """The template's newest version (what a generated document records), made when the
    template has none yet (one created outside ``template_save``)."""
    version = template.versions.order_by("-number").first()
    if version is None or (version.body, version.css, version.page_size) != (
        template.body,
        template.css,
        template.page_size,
    ):
        version = template_save(template=template)
    return version
