"""Money under concurrency: one payment per key, no over-allocation, jobs that run beside
themselves charge once (PostgreSQL, real threads)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone

from realestate.core.dates import add_months, month_start
from realestate.finance import selectors, services
from realestate.finance.choices import LateFeeMethod, PaymentStatus, ReceivableKind
from realestate.finance.models import Allocation, Payment, Receivable
from realestate.finance.services import AllocationRequest
from realestate.leasing.services import lease_activate, lease_create, rent_invoices_issue
from tests.factories import ClientFactory, LateFeePolicyFactory, UnitFactory
from tests.races import race, split

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

D = Decimal
TODAY = timezone.localdate()
DUE = TODAY + timedelta(days=1)
ROUNDS = 3


def charge(client, amount="1000"):
    return services.receivable_create(
        client=client, kind=ReceivableKind.FEE, amount=D(amount), due_date=DUE, description="Fee"
    )


def assert_allocations_add_up(receivable):
    receivable.refresh_from_db()
    allocated = (
        Allocation.objects.filter(
            receivable=receivable, payment__status=PaymentStatus.POSTED
        ).aggregate(t=Sum("amount"))["t"]
        or 0
    )
    assert allocated == receivable.amount_paid <= receivable.amount
    for payment in Payment.objects.filter(client=receivable.client):
        allocated = payment.allocations.aggregate(t=Sum("amount"))["t"] or 0
        assert allocated == payment.amount_allocated
        assert payment.amount_allocated <= payment.amount


def test_the_same_idempotency_key_at_once_makes_one_payment():
    for round_ in range(ROUNDS):
        client = ClientFactory()
        receivable = charge(client)

        def post(key=f"tx-{round_}", client=client):
            return services.payment_post(
                client=client,
                amount=D("600"),
                method="transfer",
                received_on=TODAY,
                idempotency_key=key,
            )

        payments, _ = split(race(post, post, post), ValidationError)

        assert len(payments) == 3
        assert len({p.pk for p in payments}) == 1
        assert Payment.objects.filter(client=client).count() == 1
        receivable.refresh_from_db()
        assert receivable.amount_paid == D("600")
        assert_allocations_add_up(receivable)


def test_two_payments_paying_one_receivable_at_once_never_over_allocate():
    for _ in range(ROUNDS):
        client = ClientFactory()
        receivable = charge(client, "1000")

        def post(client=client):
            return services.payment_post(
                client=client, amount=D("700"), method="cash", received_on=TODAY
            )

        payments, _ = split(race(post, post), ValidationError)

        assert len(payments) == 2
        receivable.refresh_from_db()
        assert receivable.amount_paid == D("1000")
        assert_allocations_add_up(receivable)
        assert selectors.client_balance(client)["credit"] == D("400")


def test_two_explicit_allocations_to_one_receivable_at_once_one_is_refused():
    for _ in range(ROUNDS):
        client = ClientFactory()
        receivable = charge(client, "1000")
        payments = [
            services.payment_post(
                client=client, amount=D("700"), method="cash", received_on=TODAY, allocate=False
            )
            for _ in range(2)
        ]

        def allocate(payment, receivable=receivable):
            return services.payment_allocate(
                payment=payment, allocations=[AllocationRequest(receivable, D("700"))]
            )

        made, refused = split(race(*(lambda p=p: allocate(p) for p in payments)), ValidationError)

        assert len(made) == 1 and len(refused) == 1
        receivable.refresh_from_db()
        assert receivable.amount_paid == D("700")
        assert_allocations_add_up(receivable)


def test_a_reversal_and_an_allocation_at_once_keep_the_books_straight():
    for _ in range(ROUNDS):
        client = ClientFactory()
        first, second = charge(client, "500"), charge(client, "500")
        payment = services.payment_post(
            client=client, amount=D("800"), method="cash", received_on=TODAY
        )
        extra = services.payment_post(
            client=client, amount=D("300"), method="cash", received_on=TODAY, allocate=False
        )

        split(
            race(
                lambda p=payment: services.payment_reverse(payment=p, reason="Bounced"),
                lambda p=extra: services.payment_allocate(payment=p),
            ),
            ValidationError,
        )

        for receivable in (first, second):
            assert_allocations_add_up(receivable)
        balance = selectors.client_balance(client)
        assert balance["charged"] - balance["received"] + balance["credit"] == balance["due"]


def _leases_and_overdue_charges(count):
    LateFeePolicyFactory(
        name="Company",
        project=None,
        is_global=True,
        grace_days=0,
        method=LateFeeMethod.FIXED,
        fixed_amount=D("25"),
    )
    for _ in range(count):
        lease = lease_create(
            unit=UnitFactory(purpose="rent"),
            tenant=ClientFactory(),
            start_date=date(2026, 1, 1),
            end_date=None,
            term_type="periodic",
            monthly_rent=D("4000"),
        )
        lease_activate(lease=lease)
        charge(ClientFactory(), "100")


def test_the_late_fee_job_beside_itself_charges_each_fee_once():
    _leases_and_overdue_charges(6)
    late = DUE + timedelta(days=3)

    counts, _ = split(race(*(lambda: services.late_fees_apply(today=late),) * 3), ValidationError)

    assert sorted(counts) == [0, 0, 6]
    fees = Receivable.objects.filter(kind=ReceivableKind.LATE_FEE)
    assert fees.count() == 6
    assert fees.values("parent").distinct().count() == 6


def test_the_rent_and_late_fee_jobs_running_together_twice_each_charge_once():
    _leases_and_overdue_charges(6)
    # Rent due after the late-fee date: whichever job runs first, the fees are the same.
    month, late = add_months(month_start(TODAY), 2), DUE + timedelta(days=3)

    def rent():
        return ("rent", rent_invoices_issue(month=month))

    def fees():
        return ("fees", services.late_fees_apply(today=late))

    outcomes, _ = split(race(rent, fees, rent, fees), ValidationError)

    totals = {"rent": 0, "fees": 0}
    for job, count in outcomes:
        totals[job] += count
    rent_invoices = Receivable.objects.filter(
        kind=ReceivableKind.RENT, rent_charge__period_start=month
    )
    late_fees = Receivable.objects.filter(kind=ReceivableKind.LATE_FEE)
    assert rent_invoices.count() == 6
    assert rent_invoices.values("rent_charge").distinct().count() == 6
    assert late_fees.count() == 6
    assert late_fees.values("parent").distinct().count() == 6
    # The same as running each job once, one after the other.
    assert totals == {"rent": 6, "fees": 6}
    assert rent_invoices_issue(month=month) == 0
    assert services.late_fees_apply(today=late) == 0
