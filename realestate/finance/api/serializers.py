"""A tenant's invoices, balance and payments, and an owner's statements, as the app shows
them (read-only: money moves through the office's services)."""

from __future__ import annotations

from django.db.models import F, QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from realestate.core.api.formats import date_text, moment_text, money_text
from realestate.finance.models import (
    Allocation,
    OwnerStatement,
    Payment,
    Receivable,
    receivable_balance,
)
from realestate.finance.selectors import AGEING_BUCKETS
from realestate.finance.services.online_payments import online_payable, payable_online


def money(help_text: str = "", **kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, help_text=help_text, **kwargs
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Rent invoice",
            response_only=True,
            value={
                "id": 311,
                "number": "INV-2026-00311",
                "kind": "rent",
                "description": "Rent May 2026",
                "status": "partially_paid",
                "issue_date": "2026-04-24",
                "due_date": "2026-05-01",
                "amount": "9000.00",
                "paid": "5000.00",
                "balance": "4000.00",
                "currency": "AED",
                "lease": 12,
                "unit": "MH-A-1204",
                "pay_online": True,
                "updated_at": "2026-05-04T09:30:00+04:00",
            },
        )
    ]
)
class InvoiceSerializer(serializers.ModelSerializer):
    paid = money("Paid so far.", source="amount_paid")
    amount = money()
    balance = money("Still due: amount less paid (0 when void).")
    unit = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="The unit's code, or null."
    )
    lease = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The lease it bills, or null."
    )
    pay_online = serializers.SerializerMethodField(
        help_text="Whether it may be paid by card now (`POST .../pay/`): online payment is "
        "switched on and something is due."
    )

    class Meta:
        model = Receivable
        fields = [
            "id", "number", "kind", "description", "status", "issue_date", "due_date",
            "amount", "paid", "balance", "currency", "lease", "unit", "pay_online",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_pay_online(self, receivable) -> bool:
        return online_payable(receivable)

    def to_representation(self, instance):
        """What the fields answer, read straight from the invoice (``invoice_answer``; see
        ``UnitSerializer.to_representation``: a page of 50 in a fifth of the time)."""
        unit = instance.unit
        return invoice_answer(
            {
                **{column: getattr(instance, column) for column in INVOICE_COLUMNS},
                "unit_code": None if unit is None else unit.code,
            }
        )


#: A receivable's own columns in its answer, read as values by the tenant's invoice list
#: (``invoice_rows``): no model of the invoice or of its unit for each of 50 rows.
INVOICE_COLUMNS = (
    "id", "number", "kind", "description", "status", "issue_date", "due_date", "amount",
    "amount_paid", "currency", "lease_id", "updated_at",
)  # fmt: skip


def invoice_rows(queryset: QuerySet):
    """``queryset``'s receivables as the values their answers need (``invoice_answer``)."""
    return queryset.values(*INVOICE_COLUMNS, unit_code=F("unit__code"))


def invoice_answer(row: dict, moment=moment_text) -> dict:
    """An invoice's answer from its row (``invoice_rows``): the same keys, order and formats
    as ``InvoiceSerializer``'s fields (``tests/api/test_fast_answers.py``)."""
    status, amount, amount_paid = row["status"], row["amount"], row["amount_paid"]
    balance = receivable_balance(status, amount, amount_paid)
    return {
        "id": row["id"],
        "number": row["number"],
        "kind": row["kind"],
        "description": row["description"],
        "status": status,
        "issue_date": date_text(row["issue_date"]),
        "due_date": date_text(row["due_date"]),
        "amount": money_text(amount),
        "paid": money_text(amount_paid),
        "balance": money_text(balance),
        "currency": row["currency"],
        "lease": row["lease_id"],
        "unit": row["unit_code"],
        "pay_online": payable_online(status, balance),
        "updated_at": moment(row["updated_at"]),
    }


AgeingSerializer = type(
    "AgeingSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "What is due by how late it is, in days past the due date.",
        **{name: money() for name, _low, _high in AGEING_BUCKETS},
    },
)


class BalanceSerializer(serializers.Serializer):
    charged = money("Everything invoiced (void invoices excepted).")
    received = money("Every payment posted.")
    credit = money("Paid and not yet allocated to an invoice.")
    due = money("Still due on open invoices.")
    overdue = money("Of which past its due date.")
    ageing = AgeingSerializer(read_only=True)
    currency = serializers.CharField(read_only=True)


class AllocationSerializer(serializers.ModelSerializer):
    invoice = serializers.SlugRelatedField(
        source="receivable", slug_field="number", read_only=True, help_text="Invoice number."
    )
    invoice_id = serializers.IntegerField(source="receivable_id", read_only=True)
    amount = money()

    class Meta:
        model = Allocation
        fields = ["invoice_id", "invoice", "amount"]
        read_only_fields = fields


class PaymentSerializer(serializers.ModelSerializer):
    amount = money()
    allocated = money("Applied to invoices; the rest is credit.", source="amount_allocated")
    allocations = AllocationSerializer(many=True, read_only=True)

    class Meta:
        model = Payment
        fields = [
            "id", "number", "method", "status", "amount", "allocated", "currency",
            "received_on", "reference", "allocations", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class StatementLineSerializer(serializers.Serializer):
    unit = serializers.CharField()
    rent_collected = money()
    management_fee = money()
    expenses = money()
    net = money()


class OwnerStatementSerializer(serializers.ModelSerializer):
    rent_collected = money()
    management_fee_base = money()
    management_fee_rate = serializers.DecimalField(
        max_digits=5, decimal_places=2, read_only=True, help_text="Percent."
    )
    management_fee = money()
    expenses = money()
    net_payable = money("What the company pays the owner for the month.")
    lines = StatementLineSerializer(many=True, read_only=True)

    class Meta:
        model = OwnerStatement
        fields = [
            "id", "period_start", "period_end", "currency", "rent_collected",
            "management_fee_base", "management_fee_rate", "management_fee", "expenses",
            "net_payable", "lines", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields
