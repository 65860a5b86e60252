"""PDF documents of the inventory."""

from django.utils import timezone

from realestate.core.pdf import render_pdf
from realestate.properties.models import Unit


def unit_fact_sheet_pdf(*, unit: Unit) -> bytes:
    """A one-page fact sheet: code, project, specs, price and the agent to call."""
    return render_pdf(
        "properties/unit_fact_sheet.html",
        {"unit": unit, "generated_at": timezone.localtime()},
    )
