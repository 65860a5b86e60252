"""Fixtures of the document templates' tests: reading a PDF back as poppler's pdftotext does,
and a template object with a body, CSS and a page size."""

import subprocess
from dataclasses import dataclass

import pytest


def pdf_text(content: bytes) -> str:
    """The text of a PDF as ``pdftotext`` reads it (poppler-utils; the setup installs it)."""
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


@dataclass
class Draft:
    body: str
    css: str = ""
    page_size: str = "A4"
    language: str = "en"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Logos and photos the tests store go to a folder of their own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def unit_kind(monkeypatch):
    """A test-only generated kind (the fact sheet, for units), so that these tests do not
    depend on the kinds the apps register: its context is plain data of the unit."""
    from realestate.documents.choices import DocumentKind, TemplateKind
    from realestate.documents.kinds import KINDS, GeneratedKind
    from realestate.properties.models import Unit

    spec = GeneratedKind(
        kind=TemplateKind.FACT_SHEET,
        model=Unit,
        document_kind=DocumentKind.FACT_SHEET,
        title=lambda unit: f"Fact sheet {unit.code}",
        context=lambda unit: {"unit": {"code": unit.code, "price": unit.list_price}},
        placeholders={"unit.code": "The unit's code", "unit.price": "The list price"},
    )
    monkeypatch.setitem(KINDS, TemplateKind.FACT_SHEET, spec)
    return spec
