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


@pytest.fixture
def draft():
    return Draft
