"""Read queries over reservations, contracts and commissions."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from realestate.core.money import money_field
from realestate.finance.choices import UNSETTLED, ReceivableStatus
from realestate.sales.choices import ContractStatus, ReservationStatus
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


def unit_reserved_on(day: date) -> Exists:
    """A unit held by an active reservation on ``day`` (it expires that day or later):
    ``properties.availability``'s rule of sales."""
    try:  # compared in UTC; the calendar's first and last days have no UTC of their own
        start = timezone.make_aware(datetime.combine(day, time.min)).astimezone(UTC)
    except OverflowError:
        start = (datetime.min if day.year == 1 else datetime.max).replace(tzinfo=UTC)
    return Exists(
        Reservation.objects.filter(
            unit=OuterRef("pk"), status=ReservationStatus.ACTIVE, expires_at__gte=start
        )
    )
