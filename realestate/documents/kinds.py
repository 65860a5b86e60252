"""The kinds of documents the back office generates, registered by the apps that know them.

Each app that generates documents declares its kinds in its own ``documents.py`` (imported by
the documents app when it starts, as the admin imports ``admin.py``): the model of the record,
the title of the filed document, the plain data its template gets (never live model objects),
and the placeholders that data offers, with their meaning, shown beside the template editor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db import models


@dataclass(frozen=True)
class GeneratedKind:
    """A kind of generated document (``TemplateKind``), for records of ``model``.

    - ``title(record, **params)``: the title of the filed document (one document per title:
      a statement's title names its period, so each period is a document of its own);
    - ``context(record, **params)``: the template's data: plain dicts, lists, strings,
      ``Decimal`` and dates, never model objects;
    - ``placeholders``: every key of that data (dotted), with its meaning;
    - ``assets(record)``: the local image files the template may show (a unit's main photo);
    - ``month_records(first, last)``: the records of a month for a batch ("invoices issued
      in the month"), with ``month_label`` saying so; ``month_params`` the params each
      record's document gets for that month (a statement's period);
    - ``params_form``: a form class asking for the params on "Generate" (a period).
    """

    kind: str
    model: type[models.Model]
    document_kind: str
    title: Callable[..., str]
    context: Callable[..., dict]
    placeholders: dict[str, str] = field(default_factory=dict)
    #: The record's own images the template may show (``rendering.render_pdf``'s ``assets``;
    #: put ``rendering.asset_uri(file)`` in the context), for the preview as for generation.
    assets: Callable[[models.Model], list] | None = None
    month_records: Callable[[date, date], models.QuerySet] | None = None
    month_label: str = ""
    month_params: Callable[[date, date], dict] | None = None
    params_form: type | None = None

    @property
    def label(self) -> str:
        from realestate.documents.choices import TemplateKind

        return str(TemplateKind(self.kind).label)


KINDS: dict[str, GeneratedKind] = {}


def kind_register(spec: GeneratedKind) -> None:
    KINDS[spec.kind] = spec


def kind_for(kind: str) -> GeneratedKind:
    return KINDS[kind]


def kinds_of(model: type[models.Model]) -> list[GeneratedKind]:
    """The kinds generated for records of ``model`` (a unit's fact sheet...)."""
    return [spec for spec in KINDS.values() if spec.model is model]
