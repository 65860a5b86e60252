"""The templates a fresh install ships with: one active English template per kind.

Their sources are files beside this module (``default_templates/<kind>.html`` and ``.css``);
``_letterhead.html`` replaces the ``<!-- letterhead -->`` line of each body and ``_base.css``
comes before each template's own CSS, so every default document carries the same letterhead
and page furniture (running header, "Page 2 of 3"). Installing is idempotent and never
touches a kind that already has a template: staff edits stay.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from realestate.documents.choices import Language, PageSize, TemplateKind
from realestate.documents.models import DocumentTemplate, DocumentTemplateVersion

FOLDER = Path(__file__).resolve().parent / "default_templates"
LETTERHEAD = "<!-- letterhead -->"


def default_source(kind: str) -> tuple[str, str]:
    """(body, css) of the shipped template of ``kind``."""
    body = (FOLDER / f"{kind}.html").read_text()
    body = body.replace(LETTERHEAD, (FOLDER / "_letterhead.html").read_text().strip())
    own_css = FOLDER / f"{kind}.css"
    css = (FOLDER / "_base.css").read_text() + (own_css.read_text() if own_css.exists() else "")
    return body, css


def default_templates_install(using: str = "default") -> list[DocumentTemplate]:
    """Create the shipped English template of every kind that has no template yet, active,
    with its version 1. Returns the templates created."""
    created = []
    with transaction.atomic(using=using):
        existing = set(
            DocumentTemplate.objects.using(using)
            .filter(language=Language.ENGLISH)
            .values_list("kind", flat=True)
        )
        for kind in TemplateKind:
            if kind.value in existing or not (FOLDER / f"{kind.value}.html").exists():
                continue
            body, css = default_source(kind.value)
            template = DocumentTemplate.objects.using(using).create(
                kind=kind.value,
                name=f"{kind.label} (standard)",
                language=Language.ENGLISH,
                page_size=PageSize.A4,
                body=body,
                css=css,
                is_active=True,
            )
            DocumentTemplateVersion.objects.using(using).create(
                template=template, number=1, body=body, css=css, page_size=template.page_size
            )
            created.append(template)
    return created


def default_templates_after_migrate(sender, app_config=None, using="default", **kwargs):
    if app_config is None or app_config.label != "documents":
        return
    default_templates_install(using=using)
