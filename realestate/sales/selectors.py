"""Read queries over reservations, contracts and commissions."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from realestate.core.money import money_field
from realestate.finance.choices import UNSETTLED, ReceivableStatus
from realestate.sales.choices import ContractStatus
from realestate.sales.models import PaymentPlan, Reservation, SaleContract

ZERO = Value(0, output_field=money_field())


def contracts_with_payments(contracts: QuerySet[SaleContract]) -> QuerySet[SaleContract]:
    """Contracts with ``scheduled_total`` (their live schedule), ``paid_total`` and
    ``due_total`` (what is still unsettled) added, each in one aggregate."""
    live = Q(receivables__isnull=False) & ~Q(receivables__status=ReceivableStatus.VOID)
    return contracts.annotate(
        paid_total=Coalesce(Sum("receivables__amount_paid"), ZERO),
        due_total=Coalesce(
            Sum(
                F("receivables__amount") - F("receivables__amount_paid"),
                filter=Q(receivables__status__in=UNSETTLED),
            ),
            ZERO,
        ),
        scheduled_total=Coalesce(Sum("receivables__amount", filter=live), ZERO),
    )


def plans_with_contract_counts(plans: QuerySet[PaymentPlan]) -> QuerySet[PaymentPlan]:
    return plans.annotate(contract_total=Count("contracts"))


def reservation_contract(reservation: Reservation) -> SaleContract | None:
    """The contract made from the reservation, if any."""
    try:
        return reservation.contract
    except SaleContract.DoesNotExist:
        return None


def reservation_has_live_contract(reservation: Reservation) -> bool:
    contract = reservation_contract(reservation)
    return contract is not None and contract.status != ContractStatus.CANCELLED
