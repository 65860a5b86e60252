"""Factories: Receivables, payments, late-fee policies, expenses, owner statements."""

from decimal import Decimal

import factory
from django.utils import timezone

from tests.factories.base import number_sequence as _number
from tests.factories.clients import ClientFactory
from tests.factories.properties import ProjectFactory, UnitFactory


class ReceivableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "finance.Receivable"

    number = _number("INV")
    client = factory.SubFactory(ClientFactory)
    kind = "fee"
    description = "Admin fee"
    issue_date = factory.LazyFunction(timezone.localdate)
    due_date = factory.LazyFunction(timezone.localdate)
    amount = Decimal("1000.00")


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "finance.Payment"

    number = _number("RC")
    client = factory.SubFactory(ClientFactory)
    method = "transfer"
    amount = Decimal("1000.00")
    received_on = factory.LazyFunction(timezone.localdate)


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "finance.Allocation"

    payment = factory.SubFactory(PaymentFactory)
    receivable = factory.SubFactory(
        ReceivableFactory, client=factory.SelfAttribute("..payment.client")
    )
    amount = Decimal("500.00")


class PaymentReversalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "finance.PaymentReversal"

    payment = factory.SubFactory(PaymentFactory, status="reversed")
    reason = "Cheque bounced"


class LateFeePolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "finance.LateFeePolicy"

    name = factory.Sequence(lambda n: f"Policy {n}")
    project = factory.SubFactory(ProjectFactory)
    grace_days = 5
    method = "percent"
    percent = Decimal("2.00")


class ExpenseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "finance.Expense"

    unit = factory.SubFactory(UnitFactory)
    category = "maintenance"
    amount = Decimal("750.00")
    incurred_on = factory.LazyFunction(timezone.localdate)
    description = "AC service"


class OwnerStatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "finance.OwnerStatement"

    owner = factory.SubFactory(ClientFactory)
    period_start = factory.Sequence(
        lambda n: timezone.localdate().replace(day=1) - timezone.timedelta(days=31 * n)
    )
    period_end = factory.LazyAttribute(lambda o: o.period_start + timezone.timedelta(days=27))
    rent_collected = Decimal("10000.00")
    management_fee_base = Decimal("10000.00")
    management_fee_rate = Decimal("5.00")
    management_fee = Decimal("500.00")
    expenses = Decimal("750.00")
    net_payable = Decimal("8750.00")


class OnlinePaymentEventFactory(factory.django.DjangoModelFactory):
    """A Stripe event refused for an amount that does not match its invoice."""

    class Meta:
        model = "finance.OnlinePaymentEvent"

    provider = "stripe"
    event_id = factory.Sequence(lambda n: f"evt_test{n:05d}")
    event_type = "payment_intent.succeeded"
    payment_intent = factory.Sequence(lambda n: f"pi_test{n:05d}")
    receivable = factory.SubFactory(ReceivableFactory)
    amount = Decimal("990.00")
    currency = "AED"
    outcome = "refused"
    message = "Paid 990.00 AED, but 1000.00 is due."
