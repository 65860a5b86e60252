"""The cast of the workflow tests: a sales manager running the branch of one agent, a leasing
manager running the project the agent's units stand in, an accountant, an auditor and an
administrator (by role); and makers of the agent's records in each state."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from realestate.accounts.roles import (
    ACCOUNTANT,
    ADMINISTRATOR,
    AUDITOR,
    LEASING_MANAGER,
    SALES_AGENT,
    SALES_MANAGER,
)
from realestate.finance import services as finance
from realestate.leasing import services as leasing
from realestate.sales import services as sales
from realestate.sales.models import Commission
from tests.factories import (
    UnitFactory,
)

OK = "ok"
ROLES = [ADMINISTRATOR, SALES_MANAGER, SALES_AGENT, LEASING_MANAGER, ACCOUNTANT, AUDITOR]
TODAY = timezone.localdate


def row(admin_, sales_manager, agent, leasing_manager, accountant, auditor):
    return dict(
        zip(
            ROLES, (admin_, sales_manager, agent, leasing_manager, accountant, auditor), strict=True
        )
    )


def unit(cast, **fields):
    fields = {
        "project": cast.project,
        "agent": cast.agent,
        "purpose": "both",
        "list_price": Decimal("1000000.00"),
        "monthly_rent": Decimal("8000.00"),
        **fields,
    }
    return UnitFactory(**fields)


def reservation(cast):
    return sales.reservation_create(
        unit=unit(cast),
        client=cast.client,
        deposit=Decimal("5000"),
        expires_at=timezone.now() + timedelta(days=7),
    )


def contract(cast):
    return sales.contract_create(
        unit=unit(cast),
        buyer=cast.client,
        price=Decimal("1000000"),
        terms={
            "down_payment_percent": Decimal("10"),
            "instalment_count": 3,
            "frequency": "monthly",
            "handover_percent": Decimal("0"),
            "grace_months": 0,
        },
    )


def signed(cast):
    return sales.contract_sign(contract=contract(cast))


def commission(cast, approved=False, agent=None):
    made = signed(cast).commissions.get()
    if agent is not None:
        Commission.objects.filter(pk=made.pk).update(agent=agent)
        made.refresh_from_db()
    return sales.commission_approve(commission=made) if approved else made


def lease(cast, active=True, deposit=False):
    made = leasing.lease_create(
        unit=unit(cast),
        tenant=cast.client,
        start_date=TODAY(),
        end_date=TODAY() + timedelta(days=364),
        monthly_rent=Decimal("8000"),
        deposit_amount=Decimal("8000"),
    )
    if active:
        made = leasing.lease_activate(lease=made)
    if deposit:
        leasing.deposit_record(lease=made, movement="received", amount=Decimal("8000"))
    return made


def payment(cast):
    signed(cast)
    return finance.payment_post(
        client=cast.client, amount=Decimal("1000"), method="cash", received_on=TODAY()
    )


def receivable(cast):
    return signed(cast).receivables.order_by("due_date").first()


def statement(cast):
    unit(cast, owner=cast.client)
    return finance.owner_statement_generate(owner=cast.client, month=TODAY())


def fresh(record):
    return type(record)._default_manager.get(pk=record.pk)


def admin_of(label):
    return next(a for m, a in admin.site._registry.items() if m._meta.label == label)


def admin_url(label, name, *args):
    app, model = label.lower().split(".")
    return reverse(f"admin:{app}_{model}_{name}", args=args)


def snapshot(record):
    return type(record)._default_manager.filter(pk=record.pk).values().get()


def cases(table):
    return [(key, role) for key in table for role in ROLES]


def case_id(case):
    (label, name), role = case
    return f"{label}.{name}-{role}"
