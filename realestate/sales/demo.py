"""Demo sales: payment-plan templates, reservations in every state, and contracts (draft,
signed months ago with part-paid schedules, completed, cancelled) with their commissions.
Used by ``seed_demo``; everything moves through the sales and finance services.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from realestate.clients.models import Client
from realestate.core.dates import add_months
from realestate.finance.choices import PaymentMethod as Method
from realestate.finance.choices import ReceivableStatus
from realestate.finance.demo import pay
from realestate.properties.choices import ProjectStatus, UnitPurpose, UnitStatus, UnitType
from realestate.properties.models import Unit
from realestate.sales import services
from realestate.sales.choices import Frequency
from realestate.sales.models import PaymentPlan

# name, down %, instalments, frequency, handover %, grace months, offered
PLANS = [
    ("Off-plan 10/70/20 over 24 months", 10, 24, Frequency.MONTHLY, 20, 1, True),
    ("Ready 25/75 quarterly over 2 years", 25, 8, Frequency.QUARTERLY, 0, 0, True),
    ("Post-handover 20/80 over 5 years", 20, 20, Frequency.QUARTERLY, 0, 3, True),
    ("Cash purchase", 100, 0, Frequency.MONTHLY, 0, 0, True),
    ("Launch offer 5/95 (2024)", 5, 0, Frequency.MONTHLY, 95, 0, False),
]


def _round_to(amount: Decimal, step: int) -> Decimal:
    return (amount / step).quantize(Decimal("1")) * step + Decimal("0.00")


def _day(rng, months_ago: int, today: date) -> date:
    """A day ``months_ago`` months before today (never in the future)."""
    first = add_months(today.replace(day=1), -months_ago)
    return min(first.replace(day=rng.randint(2, 26)), today)


def seed(rng, *, users) -> dict:
    if PaymentPlan.objects.exists():
        return {}
    today = timezone.localdate()
    # Each step is run by whom it falls to: the unit's agent drafts, signs and reserves;
    # the accountant posts payments and pays commissions; commissions are approved by the
    # sales manager of the agent's branch (or the accountant), never by the agent.
    manager, accountant = users["manager"], users["accountant"]

    def agent_of(unit):
        return unit.agent or users["admin"]

    def approver(commission):
        profile = getattr(commission.agent, "agent_profile", None)
        branch = profile.branch if profile else None
        return manager if branch is not None and branch.manager_id == manager.pk else accountant

    plans = {}
    for name, down, count, frequency, handover, grace, offered in PLANS:
        plans[name] = PaymentPlan.objects.create(
            name=name,
            down_payment_percent=Decimal(down),
            instalment_count=count,
            frequency=frequency,
            handover_percent=Decimal(handover),
            grace_months=grace,
            is_active=offered,
            notes="Shown to buyers of ready units." if "Ready" in name else "",
        )

    units = list(
        Unit.objects.filter(
            status=UnitStatus.AVAILABLE,
            purpose__in=(UnitPurpose.SALE, UnitPurpose.BOTH),
            list_price__isnull=False,
        )
        .select_related("project")
        .order_by("code")
    )
    off_plan = [u for u in units if u.project_id and u.project.status != ProjectStatus.COMPLETED]
    ready = [u for u in units if u not in off_plan and u.unit_type != UnitType.PARKING]
    parking = [u for u in units if u.unit_type == UnitType.PARKING] or ready
    buyers = list(Client.objects.order_by("pk"))
    rng.shuffle(buyers)

    def take(pool):
        unit = rng.choice(pool)
        for group in (off_plan, ready, parking):
            if unit in group:
                group.remove(unit)
        return unit

    def buyer(n):
        return buyers[n % len(buyers)]

    def deposit_for(unit):
        return max(_round_to(unit.list_price * Decimal("0.05"), 1000), Decimal("5000.00"))

    contracts = []

    # Signed months ago on a plan, part-paid: (pool, plan, months ago, discount %, unpaid
    # due lines at the end, the first of them half paid, co-buyer).
    signed = [
        (off_plan or ready, "Off-plan 10/70/20 over 24 months", 9, 2, 2, True, False),
        (ready, "Ready 25/75 quarterly over 2 years", 7, 0, 1, True, False),
        (ready, "Post-handover 20/80 over 5 years", 4, 1, 0, False, True),
        (off_plan or ready, "Off-plan 10/70/20 over 24 months", 5, 0, 1, False, False),
    ]
    for n, (pool, plan_name, months_ago, discount, unpaid, half, co_buyer) in enumerate(signed):
        unit = take(pool)
        signing = _day(rng, months_ago, today)
        contract = services.contract_create(
            unit=unit,
            buyer=buyer(n),
            price=unit.list_price,
            by=agent_of(unit),
            discount=_round_to(unit.list_price * discount / 100, 1000),
            plan=plans[plan_name],
            co_buyers=[buyer(n + 5)] if co_buyer else (),
            notes="Signed at the Downtown office." if n % 2 else "",
        )
        contract = services.contract_sign(
            contract=contract, by=agent_of(unit), signing_date=signing
        )
        _pay_schedule(rng, contract, today, unpaid=unpaid, half=half, by=accountant)
        contracts.append(contract)
    for contract in contracts[:2]:
        commission = contract.commissions.get()
        services.commission_approve(commission=commission, by=approver(commission))

    # Bought outright: the schedule is paid, so the contract is completed; commission paid.
    unit = take(parking)
    cash = services.contract_create(
        unit=unit,
        buyer=buyer(4),
        price=unit.list_price,
        by=agent_of(unit),
        plan=plans["Cash purchase"],
    )
    cash = services.contract_sign(
        contract=cash, by=agent_of(unit), signing_date=_day(rng, 2, today)
    )
    _pay_schedule(rng, cash, today, unpaid=0, half=False, by=accountant)
    commission = cash.commissions.get()
    commission = services.commission_approve(commission=commission, by=approver(commission))
    services.commission_pay(
        commission=commission,
        by=accountant,
        paid_on=min(cash.signing_date + timedelta(days=30), today),
    )

    # Signed, down payment paid, then the buyer's financing fell through.
    unit = take(ready)
    lost = services.contract_create(
        unit=unit,
        buyer=buyer(5),
        price=unit.list_price,
        by=agent_of(unit),
        plan=plans["Ready 25/75 quarterly over 2 years"],
    )
    lost = services.contract_sign(
        contract=lost, by=agent_of(unit), signing_date=_day(rng, 5, today)
    )
    _pay_schedule(rng, lost, lost.signing_date, unpaid=0, half=False, by=accountant)
    services.contract_cancel(
        contract=lost,
        by=agent_of(unit),
        reason="Buyer's mortgage was declined; down payment kept as agreed.",
    )

    # A draft still being negotiated.
    unit = take(off_plan or ready)
    services.contract_create(
        unit=unit,
        buyer=buyer(6),
        price=unit.list_price,
        by=agent_of(unit),
        discount=_round_to(unit.list_price * Decimal("0.03"), 1000),
        plan=plans["Off-plan 10/70/20 over 24 months"],
        notes="Buyer asks for 3% off; awaiting the sales manager.",
    )

    # Reservations: two active (one deposit paid), one converted into a contract signed
    # today, one cancelled and one left to expire.
    now = timezone.now()
    reservations = []
    for n in range(5):
        unit = take(ready)
        reservations.append(
            services.reservation_create(
                unit=unit,
                client=buyer(n + 2),
                deposit=deposit_for(unit),
                by=agent_of(unit),
                expires_at=(
                    now + timedelta(days=rng.randint(4, 12))
                    if n != 4
                    else now + timedelta(minutes=5)
                ),
                notes="Viewing went well; client returns with the family." if n == 0 else "",
            )
        )
    _active, converting, cancelled, held, expiring = reservations
    for reservation in (converting, held):
        pay(
            rng,
            client=reservation.client,
            receivables=reservation.receivables.all(),
            received_on=today,
            method=Method.CARD,
            by=accountant,
        )
    contract = services.contract_create(
        unit=converting.unit,
        buyer=converting.client,
        price=converting.unit.list_price,
        by=agent_of(converting.unit),
        reservation=converting,
        plan=plans["Ready 25/75 quarterly over 2 years"],
    )
    services.contract_sign(contract=contract, by=agent_of(converting.unit), signing_date=today)
    services.reservation_cancel(
        reservation=cancelled,
        by=agent_of(cancelled.unit),
        reason="Client chose a unit with a sea view instead.",
    )
    services.reservations_expire(now=expiring.expires_at + timedelta(minutes=1))
    return {
        "plans": list(plans.values()),
        "contracts": contracts + [cash, lost, contract],
        "reservations": reservations,
    }


def _pay_schedule(rng, contract, today: date, *, unpaid: int, half: bool, by) -> None:
    """The buyer pays each line of the schedule due by ``today`` within a few days of its
    due date, except the last ``unpaid`` (the first of which is half paid if ``half``)."""
    due = list(
        contract.receivables.exclude(status=ReceivableStatus.VOID)
        .filter(due_date__lte=today)
        .order_by("due_date", "sequence")
    )
    paid_in_full = due[: len(due) - unpaid] if unpaid else due
    methods = [Method.TRANSFER, Method.TRANSFER, Method.CHEQUE]
    for receivable in paid_in_full:
        on = min(receivable.due_date + timedelta(days=rng.randint(0, 3)), today)
        pay(
            rng,
            client=contract.buyer,
            receivables=[receivable],
            received_on=on,
            method=rng.choice(methods),
            by=by,
        )
    if unpaid and half:
        receivable = due[len(due) - unpaid]
        pay(
            rng,
            client=contract.buyer,
            receivables=[receivable],
            received_on=min(receivable.due_date + timedelta(days=2), today),
            method=Method.TRANSFER,
            by=by,
            amount=receivable.amount / 2,
            note="Part of the instalment; the buyer asked for two weeks for the rest.",
        )
