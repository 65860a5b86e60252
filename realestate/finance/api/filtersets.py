"""Filters of the app's money lists."""

from __future__ import annotations

import re

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

from realestate.core.api.lists import IdFilter, SyncFilterSet, ordering
from realestate.finance.choices import PaymentMethod, ReceivableKind, ReceivableStatus
from realestate.finance.models import OwnerStatement, Payment, Receivable


class _YearField(forms.IntegerField):
    def to_python(self, value):
        if value not in self.empty_values and not re.fullmatch(r"[0-9]{4}", str(value)):
            raise forms.ValidationError("Expected a year, e.g. 2026.", code="invalid")
        return super().to_python(value)


class InvoiceFilterSet(SyncFilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=ReceivableStatus.choices, help_text="Invoices in any of these statuses."
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=ReceivableKind.choices, help_text="Invoices of any of these kinds."
    )
    lease = IdFilter(field_name="lease_id", help_text="Invoices of a lease.")
    due_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", help_text="Due on or before this date."
    )
    due_after = django_filters.DateFilter(
        field_name="due_date", lookup_expr="gte", help_text="Due on or after this date."
    )
    ordering = ordering("due_date", "issue_date", "amount", "updated_at")

    class Meta:
        model = Receivable
        fields = ["status", "kind", "lease"]


class PaymentFilterSet(SyncFilterSet):
    method = django_filters.MultipleChoiceFilter(choices=PaymentMethod.choices)
    received_after = django_filters.DateFilter(field_name="received_on", lookup_expr="gte")
    received_before = django_filters.DateFilter(field_name="received_on", lookup_expr="lte")
    ordering = ordering("received_on", "amount", "updated_at")

    class Meta:
        model = Payment
        fields = ["method"]


@extend_schema_field({"type": "integer", "minimum": 2000, "maximum": 2100})
class YearFilter(django_filters.NumberFilter):
    field_class = _YearField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=2000, max_value=2100, **kwargs)


class StatementFilterSet(SyncFilterSet):
    year = YearFilter(field_name="period_start__year", help_text="Statements of this year.")
    ordering = ordering("period_start", "net_payable", "updated_at")

    class Meta:
        model = OwnerStatement
        fields = ["year"]
