"""Scheduled jobs of the money app. Each is safe to run twice, late, or concurrently."""

from datetime import timedelta

from django.utils import timezone

from realestate.core.dates import month_start
from realestate.core.schedules import JobSchedule
from realestate.documents.generation import document_generate
from realestate.finance import selectors, services
from realestate.finance.models import Payment

SCHEDULES = [
    JobSchedule(
        name="late-fees-daily",
        func="realestate.finance.tasks.late_fees_apply",
        cron="30 1 * * *",
        description="Flags overdue charges and charges the late fees they owe.",
    ),
    JobSchedule(
        name="owner-statements-monthly",
        func="realestate.finance.tasks.owner_statements_generate",
        cron="0 3 1 * *",
        description="Owner statements for the month just ended.",
    ),
]


def late_fees_apply() -> str:
    return f"{services.late_fees_apply()} late fee(s) charged"


def owner_statements_generate() -> str:
    last_month = month_start(month_start(timezone.localdate()) - timedelta(days=1))
    count = 0
    for owner in selectors.owners_with_units():
        services.owner_statement_generate(owner=owner, month=last_month)
        count += 1
    return f"{count} owner statement(s) for {last_month:%B %Y}"


def payment_receipt_file(payment_id: int) -> str:
    """File the receipt of a payment posted online (queued by the provider's webhook)."""
    payment = Payment.objects.get(pk=payment_id)
    version = document_generate(record=payment, kind="receipt")
    return f"Receipt {payment.number}: version {version.number}"
