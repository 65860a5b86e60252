"""PDF documents of the money app."""

from django.utils import timezone

from realestate.core.pdf import render_pdf
from realestate.finance.models import Payment


def payment_receipt_pdf(*, payment: Payment) -> bytes:
    """The receipt handed to the client: number, amount, method and what it paid."""
    allocations = payment.allocations.select_related("receivable").order_by("id")
    return render_pdf(
        "finance/payment_receipt.html",
        {
            "payment": payment,
            "allocations": allocations,
            "reversal": getattr(payment, "reversal", None),
            "generated_at": timezone.localtime(),
        },
    )
