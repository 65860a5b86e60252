"""Money in the admin: receivables, payments, their allocations and reversals, late-fee policies,
expenses and owner statements.

Receivables are made by the workflows (contracts, leases, late fees) and are read-only here.
A payment is posted through ``payment_post`` (allocated oldest first) and is never edited or
deleted: it is reversed through ``payment_reverse``, and both records stay.
"""

from realestate.finance.admin import clients  # noqa: F401  (registers)
from realestate.finance.admin.allocations import AllocationAdmin
from realestate.finance.admin.expenses import ExpenseAdmin
from realestate.finance.admin.late_fees import LateFeePolicyAdmin
from realestate.finance.admin.online_payments import OnlinePaymentEventAdmin
from realestate.finance.admin.payments import PaymentAdmin, PaymentReversalAdmin
from realestate.finance.admin.receivables import ReceivableAdmin
from realestate.finance.admin.statements import OwnerStatementAdmin

__all__ = [
    "AllocationAdmin",
    "ExpenseAdmin",
    "LateFeePolicyAdmin",
    "OnlinePaymentEventAdmin",
    "OwnerStatementAdmin",
    "PaymentAdmin",
    "PaymentReversalAdmin",
    "ReceivableAdmin",
]
