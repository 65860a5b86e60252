"""The kinds of documents the back office generates, registered by the apps that know them.

Each app that generates documents declares its kinds in its own ``documents.py`` (imported by
the documents app when it starts, as the admin imports ``admin.py``): the model of the record,
the title of the filed document, the plain data its template gets (never live model objects),
and the placeholders that data offers, with their meaning, shown beside the template editor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models


@dataclass(frozen=True)
class GeneratedKind:
    """A kind of generated document (``TemplateKind``), for records of ``model``."""

    kind: str
    model: type[models.Model]
    document_kind: str
    title: Callable[[models.Model], str]
    context: Callable[[models.Model], dict]
    placeholders: dict[str, str] = field(default_factory=dict)
    #: The record's own images the template may show (``rendering.render_pdf``'s ``assets``;
    #: put ``rendering.asset_uri(file)`` in the context), for the preview as for generation.
    assets: Callable[[models.Model], list] | None = None


KINDS: dict[str, GeneratedKind] = {}


def kind_register(spec: GeneratedKind) -> None:
    KINDS[spec.kind] = spec


def kind_for(kind: str) -> GeneratedKind:
    return KINDS[kind]
