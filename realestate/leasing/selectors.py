"""Read queries over leases, deposits, vendors and maintenance."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from realestate.core.money import to_money
from realestate.finance.choices import UNSETTLED, ReceivableStatus
from realestate.leasing.choices import HOLDING_STATUSES, DepositMovement, LeaseStatus
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


def leases_with_deposit_held(leases: QuerySet[Lease]) -> QuerySet[Lease]:
    """Leases annotated with ``deposit_in`` and ``deposit_out`` (received; returned or
    kept): what is held is the difference, without a query per lease."""
    received = Q(deposit_movements__movement=DepositMovement.RECEIVED)
    return leases.annotate(
        deposit_in=Sum("deposit_movements__amount", filter=received),
        deposit_out=Sum("deposit_movements__amount", filter=~received),
    )


def current_leases(units) -> dict[int, Lease]:
    """The active lease of each of ``units`` (ids or a queryset), with its tenant."""
    leases = Lease.objects.filter(unit__in=units, status=LeaseStatus.ACTIVE).select_related(
        "tenant"
    )
    return {lease.unit_id: lease for lease in leases}


def unit_let_on(day: date) -> Exists:
    """A unit held on ``day`` by a draft or active lease whose dates cover it (an open-ended
    lease runs on): ``properties.availability``'s rule of leasing."""
    return Exists(
        Lease.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day),
            unit=OuterRef("pk"),
            status__in=HOLDING_STATUSES,
            start_date__lte=day,
        )
    )
