"""Demo leasing: owners of rented units, leases in every state (started 6–14 months ago,
so there is rent history; one ended, one renewed, a periodic and a rolling one, a draft and
a withdrawn one), deposits, the rent invoices of every month since, and maintenance jobs with
vendors and costs. Used by ``seed_demo``; everything moves through the leasing services.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from realestate.accounts.demo import app_login
from realestate.clients.models import Client
from realestate.clients.services import client_app_login_set
from realestate.core.dates import add_months, month_start
from realestate.core.money import to_money
from realestate.finance import services as finance
from realestate.finance.choices import UNSETTLED, PaymentMethod, ReceivableKind
from realestate.finance.demo import method_details, pay
from realestate.finance.models import Receivable
from realestate.leasing import services
from realestate.leasing.choices import (
    BILLING_MONTHS,
    BillingFrequency,
    DepositMovement,
    LeaseStatus,
    MaintenanceCategory,
    MaintenanceStatus,
    Priority,
    TermType,
)
from realestate.leasing.models import Lease, Vendor
from realestate.properties.choices import UnitPurpose, UnitStatus, UnitType
from realestate.properties.models import Unit

M, Q = BillingFrequency.MONTHLY, BillingFrequency.QUARTERLY

# Start (months ago, day), term in months (None: periodic), term type, billing, billing day,
# escalation %, how the tenant pays (see finance.demo), and what becomes of the lease.
LEASES = [
    ((14, 1), 12, TermType.FIXED, M, 1, 5, "prompt", "renewed"),
    ((13, 1), 12, TermType.FIXED, M, 1, 0, "prompt", "ended"),
    ((11, 1), 12, TermType.FIXED, Q, 1, 0, "prompt", "active"),
    ((10, 12), 12, TermType.FIXED, M, 1, 0, "partial", "active"),  # opens with a stub
    ((9, 5), 12, TermType.ROLLOVER, M, 5, 0, "bounced", "active"),
    ((8, 1), None, TermType.PERIODIC, M, 1, 0, "prompt", "active"),
    ((7, 1), 12, TermType.FIXED, Q, 1, 3, "pdc", "active"),
    ((6, 15), 12, TermType.FIXED, M, 15, 0, "late", "active"),
    ((6, 1), 12, TermType.FIXED, M, 1, 0, "prompt", "active"),
    ((-1, 1), 12, TermType.FIXED, M, 1, 0, None, "draft"),
    ((-2, 1), 12, TermType.FIXED, M, 1, 0, None, "withdrawn"),
]

VENDORS = [
    ("Al Noor Plumbing Services", MaintenanceCategory.PLUMBING, "+971 4 338 2210"),
    ("CoolBreeze AC Maintenance", MaintenanceCategory.AIR_CONDITIONING, "+971 4 295 7781"),
    ("Sparkline Electrical Works", MaintenanceCategory.ELECTRICAL, "+971 4 450 1193"),
    ("Green Shield Pest Control", MaintenanceCategory.PEST, "+971 4 267 3345"),
    ("Sparkle Clean Facilities", MaintenanceCategory.CLEANING, "+971 4 881 0402"),
]

# Lease index (None: a vacant owned unit), title, category, priority, reported by the
# tenant, the statuses it goes through, vendor index, cost.
JOBS = [
    (
        2,
        "Leaking kitchen tap",
        MaintenanceCategory.PLUMBING,
        Priority.NORMAL,
        True,
        [MaintenanceStatus.IN_PROGRESS, MaintenanceStatus.COMPLETED, MaintenanceStatus.CLOSED],
        0,
        "450.00",
    ),
    (
        5,
        "AC not cooling in the master bedroom",
        MaintenanceCategory.AIR_CONDITIONING,
        Priority.HIGH,
        True,
        [MaintenanceStatus.IN_PROGRESS, MaintenanceStatus.COMPLETED],
        1,
        "1850.00",
    ),
    (
        3,
        "Circuit breaker trips when the oven is on",
        MaintenanceCategory.ELECTRICAL,
        Priority.URGENT,
        True,
        [MaintenanceStatus.IN_PROGRESS],
        2,
        None,
    ),
    (
        4,
        "Cockroaches in the kitchen cabinets",
        MaintenanceCategory.PEST,
        Priority.NORMAL,
        True,
        [],
        None,
        None,
    ),
    (
        None,
        "Repaint the living room before re-letting",
        MaintenanceCategory.OTHER,
        Priority.LOW,
        False,
        [MaintenanceStatus.DEFERRED],
        None,
        None,
    ),
    (
        7,
        "Replace the balcony glass with tinted glass",
        MaintenanceCategory.STRUCTURE,
        Priority.LOW,
        True,
        [MaintenanceStatus.DECLINED],
        None,
        None,
    ),
    (
        1,
        "Deep cleaning after move-out",
        MaintenanceCategory.CLEANING,
        Priority.NORMAL,
        False,
        [MaintenanceStatus.IN_PROGRESS, MaintenanceStatus.COMPLETED, MaintenanceStatus.CLOSED],
        4,
        "600.00",
    ),
]


def seed(rng, *, users) -> dict:
    if Lease.objects.exists():
        return {}
    today = timezone.localdate()
    this_month = month_start(today)
    by = users["admin"]
    units = list(
        Unit.objects.filter(
            status=UnitStatus.AVAILABLE,
            purpose__in=(UnitPurpose.RENT, UnitPurpose.BOTH),
            monthly_rent__gt=0,
        )
        .exclude(unit_type=UnitType.PARKING)
        .select_related("project")
        .order_by("code")
    )
    units = rng.sample(units, min(len(units), len(LEASES) + 2))
    # The tenant who falls behind rents in Marina Heights, whose own late-fee policy (see
    # finance.demo) then shows beside the company-wide one.
    late = next(n for n, spec in enumerate(LEASES) if spec[6] == "late")
    marina = next(
        (
            n
            for n, u in enumerate(units)
            if u.project_id and n != late and u.project.code == "marina-heights"
        ),
        None,
    )
    if marina is not None:
        units[late], units[marina] = units[marina], units[late]
    clients = list(Client.objects.order_by("pk"))
    rng.shuffle(clients)
    owner_count = max(1, min(3, len(clients) // 3))
    owners, tenants = clients[:owner_count], clients[owner_count:] or clients

    # Owners: the company manages their units for a fee; one negotiated a lower rate.
    owners[0].management_fee_percent = Decimal("4.00")
    owners[0].save(update_fields=["management_fee_percent", "updated_at"])
    owned = [u for i, u in enumerate(units) if i % 4 != 3]  # most, not all, have an owner
    for n, unit in enumerate(owned):
        unit.owner = owners[n % len(owners)]
        unit._history_user = by
        unit.save(update_fields=["owner", "updated_at"])

    leases, payers, renewals = [], [], []
    for n, (
        (months_ago, day),
        term,
        term_type,
        billing,
        billing_day,
        escalation,
        payer,
        fate,
    ) in enumerate(LEASES):
        unit = units[n % len(units)]
        start = add_months(this_month, -months_ago).replace(day=day)
        end = add_months(start, term) - timedelta(days=1) if term else None
        lease = services.lease_create(
            unit=unit,
            tenant=tenants[n % len(tenants)],
            start_date=start,
            end_date=end,
            monthly_rent=unit.monthly_rent,
            by=by,
            term_type=term_type,
            billing_frequency=billing,
            billing_day=billing_day,
            deposit_amount=to_money(unit.monthly_rent * (2 if billing == Q else 1)),
            escalation_percent=Decimal(escalation),
            notes="Tenant prefers contact by WhatsApp." if n == 3 else "",
        )
        leases.append(lease)
        if fate == "withdrawn":
            services.lease_terminate(lease=lease, by=by, reason="Tenant withdrew before moving in.")
            continue
        if fate == "draft":
            continue
        services.lease_activate(lease=lease, by=by)
        services.deposit_record(
            lease=lease,
            movement=DepositMovement.RECEIVED,
            amount=lease.deposit_amount,
            by=by,
            on=start,
            note="Security deposit",
        )
        payers.append((lease, payer))
        if fate == "renewed":
            renewal = services.lease_renew(lease=lease, by=by)
            # The deposit already held carries over to the renewal.
            renewal = services.lease_update(
                lease=renewal,
                by=by,
                deposit_amount=Decimal("0"),
                notes=f"Renewal of {lease.number}; the deposit held carries over.",
            )
            services.lease_activate(lease=renewal, by=by)
            renewals.append(renewal)
            payers.append((renewal, payer))

    # The monthly job, for every month since the first lease started.
    month = min(lease.start_date for lease in leases).replace(day=1)
    invoices = 0
    while month <= this_month:
        invoices += services.rent_invoices_issue(month=month)
        month = add_months(month, 1)

    # Leases whose term is over: one renewed (its renewal has taken over), one moved out.
    for lease, (_start, _term, _type, _billing, _day, _esc, _payer, fate) in zip(
        leases, LEASES, strict=True
    ):
        if fate in ("renewed", "ended"):
            services.lease_end(lease=lease, by=by, on=lease.end_date)
        if fate == "ended":
            kept = to_money(lease.deposit_amount * Decimal("0.25"))
            # Money going back out is the accountant's step.
            services.deposit_record(
                lease=lease,
                movement=DepositMovement.KEPT_REPAIRS,
                amount=kept,
                by=users["accountant"],
                on=lease.end_date + timedelta(days=7),
                note="Repainting and a broken wardrobe door",
            )
            services.deposit_record(
                lease=lease,
                movement=DepositMovement.RETURNED,
                amount=lease.deposit_amount - kept,
                by=users["accountant"],
                on=lease.end_date + timedelta(days=10),
                note="Balance returned by bank transfer",
            )

    _maintenance(leases, [u for u in owned if u not in [le.unit for le in leases]] or owned, by)
    return {"leases": leases + renewals, "payers": payers, "owners": owners, "invoices": invoices}


def _maintenance(leases: list[Lease], vacant: list[Unit], by) -> None:
    vendors = [
        Vendor.objects.get_or_create(
            name=name,
            defaults={
                "trade": trade,
                "phone": phone,
                "email": f"jobs@{name.split()[0].lower()}.example.com",
            },
        )[0]
        for name, trade, phone in VENDORS
    ]
    for index, title, category, priority, by_tenant, steps, vendor, cost in JOBS:
        lease = leases[index] if index is not None else None
        unit = lease.unit if lease else vacant[0]
        request = services.maintenance_request_create(
            unit=unit,
            title=title,
            category=category,
            priority=priority,
            by=None if by_tenant else by,
            reported_by_client=lease.tenant if by_tenant and lease else None,
            description="Reported through the tenant app." if by_tenant else "",
        )
        for status in steps:
            services.maintenance_status_change(
                request=request,
                status=status,
                by=by,
                vendor=vendors[vendor]
                if vendor is not None and status == MaintenanceStatus.IN_PROGRESS
                else None,
                cost=Decimal(cost) if cost and status == MaintenanceStatus.COMPLETED else None,
            )


# --- the tenants pay: rent and deposits (cheques, a post-dated cheque, one bounced) ---------
def rent_payments(rng, *, users, leasing: dict) -> dict:
    """Each tenant pays their deposit and rent the way their kind of payer does; the
    accountant posts the payments and reverses the bounced cheque."""
    today = timezone.localdate()
    payments = bounced = 0
    for lease, payer in leasing.get("payers", []):
        made, reversal = _rent_payments(rng, lease, payer, today, users["accountant"])
        payments += made
        bounced += reversal
    return {"payments": payments, "reversals": bounced}


#: How each kind of tenant pays: the method, and what is left unpaid.
PAYER_METHODS = {
    "prompt": [PaymentMethod.TRANSFER, PaymentMethod.CARD, PaymentMethod.ONLINE],
    "partial": [PaymentMethod.CASH],
    "late": [PaymentMethod.TRANSFER],
    "bounced": [PaymentMethod.CHEQUE],
    "pdc": [PaymentMethod.CHEQUE],
}


def _rent_payments(rng, lease, payer: str, today: date, by) -> tuple[int, int]:
    """Pay a lease's deposit and rent as this kind of tenant does; returns (payments,
    reversals)."""
    tenant = lease.tenant
    due = list(
        Receivable.objects.filter(
            lease=lease,
            kind__in=(ReceivableKind.RENT, ReceivableKind.DEPOSIT),
            due_date__lte=today,
            status__in=UNSETTLED,
        ).order_by("due_date", "pk")
    )
    rents = [r for r in due if r.kind == ReceivableKind.RENT]
    skip, half = set(), None
    if payer == "late" and rents:
        skip = {r.pk for r in rents[-2:]}  # two months behind: overdue, and charged late fees
    elif payer == "partial" and rents:
        half = rents[-1].pk
    elif payer == "prompt" and rents and rents[-1].due_date > today - timedelta(days=3):
        skip = {rents[-1].pk}  # this month's rent not in yet, still within grace
    made = 0
    last_cheque = None
    for receivable in due:
        if receivable.pk in skip:
            continue
        on = min(receivable.due_date + timedelta(days=rng.randint(0, 4)), today)
        method = rng.choice(PAYER_METHODS[payer])
        if receivable.kind == ReceivableKind.DEPOSIT:
            method = PaymentMethod.TRANSFER if payer != "pdc" else PaymentMethod.CHEQUE
        amount = None
        if receivable.pk == half:
            amount = to_money(receivable.amount / 2)
        payment = pay(
            rng,
            client=tenant,
            receivables=[receivable],
            received_on=on,
            method=method,
            by=by,
            amount=amount,
            note="Part payment, rest promised next week" if amount else "",
        )
        if payment is not None:
            made += 1
            if method == PaymentMethod.CHEQUE and receivable.kind == ReceivableKind.RENT:
                last_cheque = payment
    reversals = 0
    if payer == "bounced" and last_cheque is not None:
        finance.payment_reverse(
            payment=last_cheque,
            by=by,
            reason="Cheque returned unpaid by the bank: insufficient funds",
        )
        reversals = 1
    if payer == "pdc":
        # The cheque for the next period, dated the day it falls due: held as credit until
        # that period is invoiced.
        next_due = _next_due(lease, today)
        finance.payment_post(
            client=tenant,
            amount=lease.monthly_rent * BILLING_MONTHS[lease.billing_frequency],
            method=PaymentMethod.CHEQUE,
            received_on=today,
            by=by,
            allocate=False,
            note=f"Post-dated cheque for the rent due {next_due:%d %b %Y}",
            **method_details(rng, PaymentMethod.CHEQUE, today, cheque_date=next_due),
        )
        made += 1
    return made, reversals


def _next_due(lease, today: date) -> date:
    charge = (
        lease.rent_charges.filter(due_date__gt=today, receivable__isnull=True)
        .order_by("due_date")
        .first()
    )
    if charge is not None:
        return charge.due_date
    return add_months(month_start(today), 1).replace(day=lease.billing_day)


def app_logins() -> dict[str, Client]:
    """The app's demo logins: ``tenant1``/``tenant2`` are tenants of active leases who paid
    rent (each with a maintenance request of their own, reported from the app), and
    ``owner1``/``owner2`` own let units and have statements. Passwords are the usernames."""
    tenants = list(
        Client.objects.filter(
            leases__status=LeaseStatus.ACTIVE,
            payments__isnull=False,
            owned_units__isnull=True,
            portal_user__isnull=True,
        )
        .distinct()
        .order_by("pk")[:2]
    )
    owners = list(
        Client.objects.filter(
            owned_units__leases__status=LeaseStatus.ACTIVE,
            owner_statements__isnull=False,
            portal_user__isnull=True,
        )
        .exclude(pk__in=[t.pk for t in tenants])
        .distinct()
        .order_by("pk")[:2]
    )
    logins = {}
    for kind, clients in (("tenant", tenants), ("owner", owners)):
        for n, client in enumerate(clients, start=1):
            first, _, last = client.name.partition(" ")
            user = app_login(f"{kind}{n}", first_name=first, last_name=last)
            client_app_login_set(client=client, user=user)
            logins[user.username] = client
    for n, tenant in enumerate(tenants, start=1):
        lease = tenant.leases.filter(status=LeaseStatus.ACTIVE).order_by("pk").first()
        if not lease.maintenance_requests.exists():
            services.maintenance_request_report(
                lease=lease,
                by=tenant.portal_user,
                category=MaintenanceCategory.AIR_CONDITIONING,
                priority=Priority.HIGH if n == 1 else Priority.NORMAL,
                description="The air conditioning in the bedroom blows warm air.",
                permission_to_enter=n == 1,
            )
    return logins
