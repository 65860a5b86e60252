"""PDF documents of the inventory."""

from realestate.documents.generation import document_render
from realestate.properties.models import Unit


def unit_fact_sheet_pdf(*, unit: Unit) -> bytes:
    """A one-page fact sheet (code, project, specs, price, the main photo and the agent to
    call), from the active fact-sheet template; not filed (see "Generate fact sheet")."""
    content, _version, _title = document_render(record=unit, kind="fact_sheet")
    return content
