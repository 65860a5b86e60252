"""Payments: allocation, credit, validation, idempotency, reversal, and balances that add up."""

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from realestate.finance import selectors, services
from realestate.finance.choices import (
    UNSETTLED,
    PaymentMethod,
    PaymentStatus,
    ReceivableKind,
    ReceivableStatus,
)
from realestate.finance.models import Allocation, Payment, PaymentReversal, Receivable
from realestate.finance.services import AllocationRequest
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = timezone.localdate()
YEAR = TODAY.year


def charge(client, amount, due_in_days=0, kind=ReceivableKind.FEE):
    return services.receivable_create(
        client=client,
        kind=kind,
        amount=D(amount),
        due_date=TODAY + timedelta(days=due_in_days),
        description=f"Charge of {amount}",
    )


def pay(client, amount, method=PaymentMethod.TRANSFER, **kwargs):
    return services.payment_post(
        client=client, amount=D(amount), method=method, received_on=TODAY, **kwargs
    )


def fresh(receivable):
    receivable.refresh_from_db()
    return receivable


def nothing_written():
    return (
        Payment.objects.count(),
        Allocation.objects.count(),
        list(Receivable.objects.order_by("pk").values_list("amount_paid", "status")),
    )


@pytest.fixture
def client():
    return ClientFactory()


def test_payment_is_allocated_oldest_due_first(client):
    later = charge(client, "300", due_in_days=30)
    oldest = charge(client, "500", due_in_days=-10)
    middle = charge(client, "400", due_in_days=5)

    payment = pay(client, "700")

    assert payment.number == f"RC-{YEAR}-00001"
    assert payment.amount_allocated == D("700")
    assert [(a.receivable_id, a.amount) for a in payment.allocations.all()] == [
        (oldest.pk, D("500")),
        (middle.pk, D("200")),
    ]
    assert (fresh(oldest).amount_paid, oldest.status) == (D("500"), ReceivableStatus.PAID)
    assert (fresh(middle).amount_paid, middle.status) == (D("200"), ReceivableStatus.PARTIALLY_PAID)
    assert (fresh(later).amount_paid, later.status) == (D("0"), ReceivableStatus.OPEN)
    assert selectors.client_balance(client)["due"] == D("500")


def test_overpayment_is_left_as_credit(client):
    charge(client, "1000")
    charge(client, "250.50", due_in_days=3)

    payment = pay(client, "2000")

    assert payment.amount_allocated == D("1250.50")
    assert payment.unallocated == D("749.50")
    balance = selectors.client_balance(client)
    assert (balance["charged"], balance["received"], balance["credit"], balance["due"]) == (
        D("1250.50"),
        D("2000.00"),
        D("749.50"),
        D("0.00"),
    )


def test_payment_only_touches_the_payers_receivables(client):
    other = ClientFactory()
    theirs = charge(other, "100", due_in_days=-30)
    pay(client, "100")

    assert fresh(theirs).amount_paid == 0
    assert selectors.client_balance(client)["credit"] == D("100")


def test_explicit_allocations_are_respected(client):
    oldest = charge(client, "500", due_in_days=-10)
    newest = charge(client, "500", due_in_days=10)

    payment = pay(client, "600", allocations=[AllocationRequest(newest, D("450"))])

    assert fresh(newest).amount_paid == D("450")
    assert fresh(oldest).amount_paid == D("0")
    assert payment.unallocated == D("150")
    # The rest can be allocated later, oldest first.
    services.payment_allocate(payment=payment)
    assert fresh(oldest).amount_paid == D("150")


@pytest.mark.parametrize(
    "case", ["over_balance", "over_payment", "other_client", "twice_over_balance", "zero", "void"]
)
def test_invalid_allocations_are_refused_and_nothing_is_written(client, case):
    first = charge(client, "500")
    second = charge(client, "500", due_in_days=1)
    pay(client, "100", allocations=[AllocationRequest(first, D("100"))])  # first owes 400
    foreign = charge(ClientFactory(), "500")
    if case == "void":
        services.receivables_void(Receivable.objects.filter(pk=second.pk))
    requests, amount = {
        "over_balance": ([AllocationRequest(first, D("400.01"))], "1000"),
        "over_payment": (
            [AllocationRequest(first, D("400")), AllocationRequest(second, D("200"))],
            "599.99",
        ),
        "other_client": ([AllocationRequest(foreign, D("10"))], "10"),
        "twice_over_balance": (
            [AllocationRequest(first, D("300")), AllocationRequest(first, D("300"))],
            "600",
        ),
        "zero": ([AllocationRequest(first, D("0"))], "10"),
        "void": ([AllocationRequest(second, D("10"))], "10"),
    }[case]
    before = nothing_written()

    with pytest.raises(ValidationError):
        pay(client, amount, allocations=requests)

    assert nothing_written() == before
    # The failed posting gave its receipt number back.
    assert pay(client, "1", allocate=False).number == f"RC-{YEAR}-00002"


@pytest.mark.parametrize("missing", ["cheque_number", "cheque_bank", "cheque_date"])
def test_a_cheque_needs_number_bank_and_date(client, missing):
    details = {
        "cheque_number": "000123",
        "cheque_bank": "Emirates NBD",
        "cheque_date": TODAY + timedelta(days=30),
    }
    details[missing] = "" if missing != "cheque_date" else None

    with pytest.raises(ValidationError, match="cheque needs its number, bank and date"):
        pay(client, "100", method=PaymentMethod.CHEQUE, **details)
    assert not Payment.objects.exists()


def test_a_post_dated_cheque_is_posted(client):
    payment = pay(
        client,
        "100",
        method=PaymentMethod.CHEQUE,
        cheque_number="000123",
        cheque_bank="Emirates NBD",
        cheque_date=TODAY + timedelta(days=30),
    )

    assert payment.status == PaymentStatus.POSTED
    assert payment.cheque_date == TODAY + timedelta(days=30)


@pytest.mark.parametrize("amount", ["0", "-5", "0.004"])
def test_a_payment_must_be_positive(client, amount):
    with pytest.raises(ValidationError):
        pay(client, amount)
    assert not Payment.objects.exists()


def test_the_same_idempotency_key_returns_the_same_payment(client):
    receivable = charge(client, "1000")

    first = pay(client, "400", idempotency_key="bank-tx-77")
    again = pay(client, "400", idempotency_key="bank-tx-77")

    assert again.pk == first.pk
    assert Payment.objects.count() == 1
    assert Allocation.objects.count() == 1
    assert fresh(receivable).amount_paid == D("400")
    assert pay(client, "400", idempotency_key="bank-tx-78").pk != first.pk


# --- reversal -----------------------------------------------------------------------------
def test_reversal_undoes_the_allocations_and_both_records_stay(client, superuser):
    overdue = charge(client, "500", due_in_days=-3)
    upcoming = charge(client, "500", due_in_days=20)
    payment = pay(client, "800")
    assert fresh(upcoming).status == ReceivableStatus.PARTIALLY_PAID

    with pytest.raises(ValidationError):
        services.payment_reverse(payment=payment, reason="  ")

    reversal = services.payment_reverse(payment=payment, reason="Cheque bounced", by=superuser)

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REVERSED
    assert payment.unallocated == 0
    assert (reversal.payment, reversal.reason, reversal.reversed_by) == (
        payment,
        "Cheque bounced",
        superuser,
    )
    assert (fresh(overdue).amount_paid, overdue.status) == (D("0"), ReceivableStatus.OVERDUE)
    assert (fresh(upcoming).amount_paid, upcoming.status) == (D("0"), ReceivableStatus.OPEN)
    assert Payment.objects.filter(pk=payment.pk).exists()
    balance = selectors.client_balance(client)
    assert (balance["received"], balance["credit"], balance["due"]) == (0, 0, D("1000"))

    with pytest.raises(ValidationError, match="already reversed"):
        services.payment_reverse(payment=payment, reason="Again")
    assert PaymentReversal.objects.count() == 1
    with pytest.raises(ValidationError, match="reversed payment cannot be allocated"):
        services.payment_allocate(payment=payment)


def test_a_receivable_paid_again_after_a_reversal(client):
    receivable = charge(client, "500")
    services.payment_reverse(payment=pay(client, "500"), reason="Wrong client")

    pay(client, "500")

    assert (fresh(receivable).amount_paid, receivable.status) == (D("500"), ReceivableStatus.PAID)


# --- invariants ---------------------------------------------------------------------------
def assert_books_balance(clients):
    for client in clients:
        balance = selectors.client_balance(client)
        assert balance["charged"] - balance["received"] + balance["credit"] == balance["due"]
        assert balance["credit"] >= 0
    posted = Allocation.objects.filter(payment__status=PaymentStatus.POSTED)
    for receivable in Receivable.objects.all():
        allocated = posted.filter(receivable=receivable).aggregate(t=Sum("amount"))["t"] or 0
        assert allocated == receivable.amount_paid
        assert 0 <= receivable.amount_paid <= receivable.amount
    for payment in Payment.objects.filter(status=PaymentStatus.POSTED):
        allocated = payment.allocations.aggregate(t=Sum("amount"))["t"] or 0
        assert allocated == payment.amount_allocated <= payment.amount


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_balances_reconcile_after_a_mixed_sequence(seed):
    rng = random.Random(seed)
    clients = [ClientFactory() for _ in range(3)]

    def money():
        return D(rng.randint(1, 500_000)) / 100

    for _step in range(60):
        client = rng.choice(clients)
        action = rng.random()
        try:
            if action < 0.35:
                charge(client, money(), due_in_days=rng.randint(-90, 90))
            elif action < 0.65:
                pay(client, money())
            elif action < 0.8:
                open_items = list(Receivable.objects.filter(client=client, status__in=UNSETTLED))
                if open_items:
                    target = rng.choice(open_items)
                    balance = target.amount - target.amount_paid
                    pay(
                        client,
                        money() + balance,
                        allocations=[AllocationRequest(target, min(balance, money()))],
                    )
            elif action < 0.92:
                payments = list(Payment.objects.filter(client=client, status=PaymentStatus.POSTED))
                if payments:
                    services.payment_reverse(payment=rng.choice(payments), reason="Bounced")
            else:
                unsettled = Receivable.objects.filter(client=client, status__in=UNSETTLED)
                if unsettled.exists():
                    services.receivables_void(
                        unsettled.filter(pk=unsettled.first().pk), reason="Waived"
                    )
        except ValidationError:
            pass  # a refused operation leaves the books as they were
        assert_books_balance(clients)

    for client in clients:  # spend remaining credit, then check again
        for payment in Payment.objects.filter(client=client, status=PaymentStatus.POSTED):
            services.payment_allocate(payment=payment)
    assert_books_balance(clients)
    assert Payment.objects.filter(status=PaymentStatus.REVERSED).exists()


def test_database_refuses_paid_above_the_amount(client):
    receivable = charge(client, "500")

    with pytest.raises(IntegrityError), transaction.atomic():
        Receivable.objects.filter(pk=receivable.pk).update(amount_paid=F("amount") + D("0.01"))

    with pytest.raises(IntegrityError), transaction.atomic():
        Receivable.objects.filter(pk=receivable.pk).update(amount_paid=D("-1"))

    assert fresh(receivable).amount_paid == 0


def test_database_refuses_allocating_more_than_the_payment(client):
    payment = pay(client, "100")

    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(amount_allocated=D("100.01"))
