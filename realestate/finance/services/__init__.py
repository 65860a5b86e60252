"""Money services: receivables, payments and their allocations, reversals, late fees,
expenses and owner statements. Only these write finance's tables: sales and leasing ask them.

A module per record (re-exported here, so callers write ``finance.payment_post(...)``).
"""

from realestate.finance.services.expenses import expense_book
from realestate.finance.services.late_fees import (
    LateFeePolicies,
    late_fee_amount,
    late_fee_periods_due,
    late_fee_policy_for,
    late_fees_apply,
)
from realestate.finance.services.payments import (
    RECEIPT_PREFIX,
    AllocationRequest,
    payment_allocate,
    payment_post,
    payment_reverse,
)
from realestate.finance.services.receivables import (
    INVOICE_PREFIX,
    deposit_join_schedule,
    receivable_create,
    receivable_status,
    receivable_void,
    receivables_issue_for_rent_charges,
    receivables_mark_overdue,
    receivables_void,
)
from realestate.finance.services.statements import owner_statement_generate

__all__ = [
    "INVOICE_PREFIX",
    "RECEIPT_PREFIX",
    "AllocationRequest",
    "LateFeePolicies",
    "deposit_join_schedule",
    "expense_book",
    "late_fee_amount",
    "late_fee_periods_due",
    "late_fee_policy_for",
    "late_fees_apply",
    "owner_statement_generate",
    "payment_allocate",
    "payment_post",
    "payment_reverse",
    "receivable_create",
    "receivable_status",
    "receivable_void",
    "receivables_issue_for_rent_charges",
    "receivables_mark_overdue",
    "receivables_void",
]
