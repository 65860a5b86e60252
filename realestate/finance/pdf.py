"""PDF documents of the money app."""

from realestate.documents.generation import document_render
from realestate.finance.models import Payment


def payment_receipt_pdf(*, payment: Payment) -> bytes:
    """The receipt handed to the client (number, amount, method, what it paid, the balance
    left), from the active receipt template; not filed (see "Generate receipt")."""
    content, _version, _title = document_render(record=payment, kind="receipt")
    return content
