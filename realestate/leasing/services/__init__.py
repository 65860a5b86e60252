"""Leasing services: leases and their rent schedule, deposits, maintenance.

A module per record, re-exported here (callers write ``services.lease_activate(...)``).
"""

from realestate.leasing.services.deposits import (
    deposit_receive,
    deposit_record,
    deposit_release,
)
from realestate.leasing.services.leases import (
    LEASE_TERM_FIELDS,
    lease_activate,
    lease_create,
    lease_end,
    lease_renew,
    lease_signed_copy_attach,
    lease_terminate,
    lease_update,
    leases_expire,
)
from realestate.leasing.services.maintenance import (
    maintenance_comment_add,
    maintenance_request_create,
    maintenance_request_report,
    maintenance_status_change,
)
from realestate.leasing.services.rent import (
    SCHEDULE_HORIZON_MONTHS,
    rent_invoices_issue,
    rent_schedule_generate,
)

__all__ = [
    "LEASE_TERM_FIELDS",
    "SCHEDULE_HORIZON_MONTHS",
    "deposit_receive",
    "deposit_record",
    "deposit_release",
    "lease_activate",
    "lease_create",
    "lease_end",
    "lease_renew",
    "lease_signed_copy_attach",
    "lease_terminate",
    "lease_update",
    "leases_expire",
    "maintenance_comment_add",
    "maintenance_request_create",
    "maintenance_request_report",
    "maintenance_status_change",
    "rent_invoices_issue",
    "rent_schedule_generate",
]
