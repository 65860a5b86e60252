"""Services of the document templates: saving one (each save is a new version) and keeping
exactly one active template per kind and language.

(The documents' own services, filing and deleting, are in ``services.py``.)
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from realestate.documents.models import DocumentTemplate, DocumentTemplateVersion
from realestate.documents.sandbox import compile_body


def template_save(*, template: DocumentTemplate, by=None) -> DocumentTemplateVersion:
    """Save ``template`` and record what was saved as its next version (number + 1, who).

    The body must compile in the sandbox (``TemplateProblem`` otherwise, with its line). An
    active template deactivates the one that was active for its kind and language, in the
    same transaction, under a lock on both, so two saves at once never leave two active.
    """
    compile_body(template.body)
    try:
        with transaction.atomic():
            if template.is_active:
                _deactivate_others(template)
            template.save()  # its row stays locked until commit: versions numbered in turn
            last = template.versions.aggregate(n=models.Max("number"))["n"] or 0
            return DocumentTemplateVersion.objects.create(
                template=template,
                number=last + 1,
                body=template.body,
                css=template.css,
                page_size=template.page_size,
                saved_by=by,
            )
    except IntegrityError:
        # A new template was made active for the same kind and language at the same moment.
        raise ValidationError(
            _("Another %(kind)s template was made active at the same moment: save again.")
            % {"kind": template.get_kind_display()},
            code="template_active_race",
        ) from None


def _deactivate_others(template: DocumentTemplate) -> None:
    """Every template of the kind and language is locked (all of them, active or not: a
    save waiting here then reads who became active meanwhile), the active ones but
    ``template`` deactivated."""
    siblings = DocumentTemplate.objects.select_for_update().filter(
        kind=template.kind, language=template.language
    )
    for other in siblings.order_by("pk"):
        if other.pk != template.pk and other.is_active:
            other.is_active = False
            other.save(update_fields=["is_active", "updated_at"])


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
