"""Two tenants and two owners with records of their own, for the portal endpoints' tests:
each tenant rents a unit of one owner (and had an earlier lease), with invoices, a payment
allocated to one of them, a maintenance request of their lease; each owner has a statement."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from realestate.finance.choices import ReceivableKind, ReceivableStatus
from realestate.leasing.choices import LeaseStatus
from realestate.properties.choices import UnitStatus
from tests.factories import (
    AllocationFactory,
    ClientFactory,
    LeaseFactory,
    MaintenanceRequestFactory,
    OwnerStatementFactory,
    PaymentFactory,
    ReceivableFactory,
    UnitFactory,
    UserFactory,
)


@dataclass
class Person:
    user: object
    client: object


@dataclass
class Tenancy:
    tenant: Person
    owner: Person
    unit: object
    lease: object
    past_lease: object
    invoices: list
    payment: object
    request: object
    statement: object


def portal_login(username: str, *, name: str) -> Person:
    user = UserFactory(username=username, is_staff=False, password=username)
    return Person(user=user, client=ClientFactory(name=name, portal_user=user))


def tenancy(n: int) -> Tenancy:
    """tenant<n> rents a unit of owner<n>."""
    today = timezone.localdate()
    tenant = portal_login(f"tenant{n}", name=f"Tenant {n}")
    owner = portal_login(f"owner{n}", name=f"Owner {n}")
    unit = UnitFactory(
        code=f"LET-{n}",
        owner=owner.client,
        status=UnitStatus.LEASED,
        purpose="rent",
        list_price=None,
        monthly_rent=Decimal("9000.00"),
    )
    earlier = UnitFactory(
        code=f"OLD-{n}",
        owner=owner.client,
        purpose="rent",
        list_price=None,
        monthly_rent=Decimal("7000.00"),
    )
    lease = LeaseFactory(
        unit=unit,
        tenant=tenant.client,
        status=LeaseStatus.ACTIVE,
        start_date=today.replace(day=1) - timedelta(days=60),
        monthly_rent=Decimal("9000.00"),
    )
    past = LeaseFactory(
        unit=earlier,
        tenant=tenant.client,
        status=LeaseStatus.ENDED,
        start_date=today - timedelta(days=800),
        end_date=today - timedelta(days=436),
        monthly_rent=Decimal("7000.00"),
    )
    invoices = [
        ReceivableFactory(
            client=tenant.client,
            unit=unit,
            lease=lease,
            kind=ReceivableKind.RENT,
            description=f"Rent {n} month {m}",
            amount=Decimal("9000.00"),
            due_date=today - timedelta(days=45 - 60 * m),
            status=ReceivableStatus.OVERDUE if m == 0 else ReceivableStatus.OPEN,
        )
        for m in range(2)
    ]
    payment = PaymentFactory(
        client=tenant.client,
        amount=Decimal("5000.00"),
        amount_allocated=Decimal("5000.00"),
        received_on=today,
    )
    AllocationFactory(payment=payment, receivable=invoices[0], amount=Decimal("5000.00"))
    invoices[0].amount_paid = Decimal("5000.00")
    invoices[0].status = ReceivableStatus.PARTIALLY_PAID
    invoices[0].save()
    request = MaintenanceRequestFactory(
        unit=unit,
        lease=lease,
        reported_by_client=tenant.client,
        title=f"Leak {n}",
        cost=Decimal("350.00"),
    )
    statement = OwnerStatementFactory(owner=owner.client)
    return Tenancy(tenant, owner, unit, lease, past, invoices, payment, request, statement)
