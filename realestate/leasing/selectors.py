"""Read queries over leases, deposits, vendors and maintenance."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from realestate.core.money import to_money
from realestate.finance.choices import UNSETTLED, ReceivableStatus
from realestate.leasing.choices import DepositMovement
from realestate.leasing.models import Lease, Vendor

ZERO = Decimal("0.00")


def deposit_held(lease: Lease) -> Decimal:
    """What is held of the lease's deposit: received, less returned and kept."""
    totals = {
        movement: to_money(total)
        for movement, total in lease.deposit_movements.values_list("movement").annotate(
            t=Sum("amount")
        )
    }
    received = totals.get(DepositMovement.RECEIVED, ZERO)
    out = sum((v for k, v in totals.items() if k != DepositMovement.RECEIVED), ZERO)
    return received - out


def lease_billing_totals(lease: Lease) -> dict[str, Decimal]:
    """What the lease has been invoiced, what was paid, what is outstanding, and the deposit
    held."""
    receivables = lease.receivables.exclude(status=ReceivableStatus.VOID)
    totals = receivables.aggregate(charged=Sum("amount"), paid=Sum("amount_paid"))
    due = receivables.filter(status__in=UNSETTLED).aggregate(
        due=Sum("amount"), paid=Sum("amount_paid")
    )
    return {
        "charged": to_money(totals["charged"] or 0),
        "paid": to_money(totals["paid"] or 0),
        "outstanding": to_money(due["due"] or 0) - to_money(due["paid"] or 0),
        "deposit_held": deposit_held(lease),
    }


def vendors_with_job_counts(vendors: QuerySet[Vendor]) -> QuerySet[Vendor]:
    return vendors.annotate(job_total=Count("jobs"))
