"""The templates a fresh install ships with: one active English template per kind, and a
bilingual (English and Arabic) invoice.

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


def default_source(kind: str, language: str = Language.ENGLISH) -> tuple[str, str]:
    """(body, css) of the shipped template of ``kind`` (``<kind>.html`` in English,
    ``<kind>.<language>.html`` in another language)."""
    name = kind if language == Language.ENGLISH else f"{kind}.{language}"
    body = (FOLDER / f"{name}.html").read_text()
    body = body.replace(LETTERHEAD, (FOLDER / "_letterhead.html").read_text().strip())
    own_css = FOLDER / f"{kind}.css"
    css = (FOLDER / "_base.css").read_text() + (own_css.read_text() if own_css.exists() else "")
    return body, css


def default_templates_install(using: str = "default") -> list[DocumentTemplate]:
    """Create the shipped template of every kind and language that has no template yet,
    active, with its version 1 (English for every kind; a few bilingual ones). Returns the
    templates created."""
    created = []
    with transaction.atomic(using=using):
        existing = set(DocumentTemplate.objects.using(using).values_list("kind", "language"))
        for kind in TemplateKind:
            for language in Language:
                name = kind.value if language == Language.ENGLISH else f"{kind.value}.{language}"
                if (kind.value, language.value) in existing or not (
                    FOLDER / f"{name}.html"
                ).exists():
                    continue
                created.append(_install(kind, language, using))
    return created


def _install(kind, language, using: str) -> DocumentTemplate:
    body, css = default_source(kind.value, language.value)
    template = DocumentTemplate.objects.using(using).create(
        kind=kind.value,
        name=f"{kind.label} (standard)",
        language=language.value,
        page_size=PageSize.A4,
        body=body,
        css=css,
        is_active=True,
    )
    DocumentTemplateVersion.objects.using(using).create(
        template=template, number=1, body=body, css=css, page_size=template.page_size
    )
    return template


def default_templates_after_migrate(sender, app_config=None, using="default", **kwargs):
    if app_config is None or app_config.label != "documents":
        return
    default_templates_install(using=using)
