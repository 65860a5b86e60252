"""Documents of the money app: invoices, receipts, statements of account, owner statements."""

from __future__ import annotations

from datetime import date

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.forms import BaseDialogForm
from unfold.widgets import UnfoldAdminDateWidget

from realestate.clients.documents import party, party_placeholders
from realestate.clients.models import Client
from realestate.core.dates import month_start
from realestate.core.money import format_money
from realestate.documents.choices import DocumentKind, TemplateKind
from realestate.documents.kinds import GeneratedKind, kind_register
from realestate.documents.words import amount_in_words, figures
from realestate.finance import selectors
from realestate.finance.choices import PaymentStatus, ReceivableStatus
from realestate.finance.models import OwnerStatement, Payment, Receivable
from realestate.properties.documents import unit_data, unit_placeholders

AGEING_LABELS = {
    "current": "Not yet due",
    "1_30": "1–30 days",
    "31_60": "31–60 days",
    "61_90": "61–90 days",
    "over_90": "Over 90 days",
}


def _words(amount, currency: str) -> dict:
    return {
        "words": amount_in_words(amount, currency),
        "words_ar": amount_in_words(amount, currency, "ar"),
    }


# --- invoice ---------------------------------------------------------------------------------
def invoice_context(receivable: Receivable) -> dict:
    currency = receivable.currency
    balance = receivable.balance
    allocations = (
        receivable.allocations.filter(payment__status=PaymentStatus.POSTED)
        .select_related("payment")
        .order_by("payment__received_on", "pk")
    )
    reference = ""
    if receivable.contract_id:
        reference = receivable.contract.number
    elif receivable.lease_id:
        reference = receivable.lease.number
    elif receivable.reservation_id:
        reference = receivable.reservation.number
    return {
        "invoice": {
            "number": receivable.number,
            "kind": str(receivable.get_kind_display()),
            "description": receivable.description,
            "reference": reference,
            "issue_date": receivable.issue_date,
            "due_date": receivable.due_date,
            "status": str(receivable.get_status_display()),
            "is_void": receivable.status == ReceivableStatus.VOID,
            "currency": currency,
            "amount": format_money(receivable.amount, currency),
            "amount_figures": figures(receivable.amount),
            "amount_paid": format_money(receivable.amount_paid, currency),
            "balance": format_money(balance, currency),
            "amount_words": amount_in_words(receivable.amount, currency),
            "amount_words_ar": amount_in_words(receivable.amount, currency, "ar"),
        },
        "client": party(receivable.client),
        "unit": unit_data(receivable.unit),
        "payments": [
            {
                "receipt": allocation.payment.number,
                "date": allocation.payment.received_on,
                "method": str(allocation.payment.get_method_display()),
                "amount": figures(allocation.amount),
            }
            for allocation in allocations
        ],
    }


INVOICE_PLACEHOLDERS = {
    "invoice.number": "invoice number (INV-2026-00001)",
    "invoice.kind": "Instalment, Rent, Deposit, Fee or Late fee",
    "invoice.description": "what is charged",
    "invoice.reference": "the contract, lease or reservation number it belongs to",
    "invoice.issue_date": "date issued (a date: {{ invoice.issue_date|date:'j F Y' }})",
    "invoice.due_date": "date due (a date)",
    "invoice.status": "Open, Partially paid, Paid, Overdue or Void",
    "invoice.is_void": "true when the invoice is void",
    "invoice.currency": "currency code",
    "invoice.amount": "amount with currency (“AED 1,200.00”)",
    "invoice.amount_figures": "amount in figures without currency (“1,200.00”)",
    "invoice.amount_paid": "paid so far, with currency",
    "invoice.balance": "still due, with currency",
    "invoice.amount_words": "the amount in words, in English",
    "invoice.amount_words_ar": "the amount in words, in Arabic",
    **party_placeholders("client", "the client invoiced"),
    **unit_placeholders(),
    "payments": "list of payments applied: receipt, date, method, amount (figures)",
}


# --- receipt ---------------------------------------------------------------------------------
def receipt_context(payment: Payment) -> dict:
    currency = payment.currency
    reversal = getattr(payment, "reversal", None)
    allocations = payment.allocations.select_related("receivable").order_by("pk")
    account = selectors.client_statement(payment.client, payment.received_on, payment.received_on)
    return {
        "receipt": {
            "number": payment.number,
            "date": payment.received_on,
            "method": str(payment.get_method_display()),
            "reference": payment.reference,
            "cheque_number": payment.cheque_number,
            "cheque_bank": payment.cheque_bank,
            "cheque_date": payment.cheque_date,
            "currency": currency,
            "amount": format_money(payment.amount, currency),
            "amount_words": amount_in_words(payment.amount, currency),
            "amount_words_ar": amount_in_words(payment.amount, currency, "ar"),
            "credit": format_money(payment.unallocated, currency) if payment.unallocated else "",
            "reversed": reversal is not None,
            "reversal_date": timezone.localdate(reversal.created_at) if reversal else None,
            "reversal_reason": reversal.reason if reversal else "",
        },
        "client": party(payment.client),
        "allocations": [
            {
                "invoice": allocation.receivable.number,
                "description": allocation.receivable.description,
                "due_date": allocation.receivable.due_date,
                "amount": format_money(allocation.amount, currency),
            }
            for allocation in allocations
        ],
        "balance_left": format_money(account["closing_balance"], currency),
    }


RECEIPT_PLACEHOLDERS = {
    "receipt.number": "receipt number (RC-2026-00001)",
    "receipt.date": "date received (a date)",
    "receipt.method": "Cash, Bank transfer, Card, Cheque or Online",
    "receipt.reference": "the payer's reference (transfer id)",
    "receipt.cheque_number": "cheque number (cheques only)",
    "receipt.cheque_bank": "cheque's bank",
    "receipt.cheque_date": "cheque's date (a date)",
    "receipt.currency": "currency code",
    "receipt.amount": "amount received, with currency",
    "receipt.amount_words": "the amount in words, in English",
    "receipt.amount_words_ar": "the amount in words, in Arabic",
    "receipt.credit": "what was not applied to invoices (held as credit), with currency",
    "receipt.reversed": "true when the payment was reversed",
    "receipt.reversal_date": "when it was reversed (a date)",
    "receipt.reversal_reason": "why it was reversed",
    **party_placeholders("client", "the payer"),
    "allocations": "list of invoices paid: invoice, description, due_date, amount (with currency)",
    "balance_left": "the client's balance after the payment, as at its date, with currency",
}


# --- statement of account --------------------------------------------------------------------
class StatementPeriodForm(BaseDialogForm):
    start = forms.DateField(label=_("From"), widget=UnfoldAdminDateWidget)
    end = forms.DateField(label=_("To"), widget=UnfoldAdminDateWidget)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["start"].initial = month_start(today).replace(month=1)
        self.fields["end"].initial = today

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The period ends before it starts."))
        return data


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _period(start=None, end=None) -> tuple[date, date]:
    today = timezone.localdate()
    return (
        _day(start) if start else today.replace(month=1, day=1),
        _day(end) if end else today,
    )


def statement_title(client: Client, start=None, end=None) -> str:
    first, last = _period(start, end)
    return f"Statement of account {client.name} {first:%Y-%m-%d} to {last:%Y-%m-%d}"


def statement_context(client: Client, start=None, end=None) -> dict:
    first, last = _period(start, end)
    currency = settings.DEFAULT_CURRENCY
    account = selectors.client_statement(client, first, last)
    return {
        "statement": {
            "start": first,
            "end": last,
            "currency": currency,
            "opening_balance": format_money(account["opening_balance"], currency),
            "total_charges": format_money(account["total_charges"], currency),
            "total_payments": format_money(account["total_payments"], currency),
            "closing_balance": format_money(account["closing_balance"], currency),
            "closing_words": amount_in_words(account["closing_balance"], currency),
            "lines": [
                {
                    **line,
                    "charge": figures(line["charge"]) if line["charge"] else "",
                    "payment": figures(line["payment"]) if line["payment"] else "",
                    "balance": figures(line["balance"]),
                }
                for line in account["lines"]
            ],
            "ageing": [
                {"label": label, "amount": figures(account["ageing"][key])}
                for key, label in AGEING_LABELS.items()
            ],
        },
        "client": party(client),
    }


STATEMENT_PLACEHOLDERS = {
    "statement.start": "first day of the period (a date)",
    "statement.end": "last day of the period (a date)",
    "statement.currency": "currency code",
    "statement.opening_balance": "balance brought forward at the start, with currency",
    "statement.total_charges": "charges in the period, with currency",
    "statement.total_payments": "payments in the period, with currency",
    "statement.closing_balance": "balance at the end (owed by the client; negative: credit)",
    "statement.closing_words": "the closing balance in words",
    "statement.lines": "list of charges and payments by date: date, reference, description, "
    "due_date, charge, payment, balance (running; figures)",
    "statement.ageing": "list of what is still open by lateness at the end: label, amount",
    **party_placeholders("client", "the client"),
}


# --- owner statement -------------------------------------------------------------------------
def owner_statement_context(statement: OwnerStatement) -> dict:
    currency = statement.currency
    return {
        "statement": {
            "period_start": statement.period_start,
            "period_end": statement.period_end,
            "currency": currency,
            "rent_collected": format_money(statement.rent_collected, currency),
            "management_fee_base": format_money(statement.management_fee_base, currency),
            "management_fee_rate": f"{statement.management_fee_rate.normalize():f}",
            "management_fee": format_money(statement.management_fee, currency),
            "expenses": format_money(statement.expenses, currency),
            "net_payable": format_money(statement.net_payable, currency),
            "net_payable_words": amount_in_words(statement.net_payable, currency),
            "lines": [
                {
                    "unit": line["unit"],
                    "rent_collected": figures(line["rent_collected"]),
                    "management_fee": figures(line["management_fee"]),
                    "expenses": figures(line["expenses"]),
                    "net": figures(line["net"]),
                }
                for line in statement.lines
            ],
        },
        "owner": party(statement.owner),
    }


OWNER_STATEMENT_PLACEHOLDERS = {
    "statement.period_start": "first day of the month (a date)",
    "statement.period_end": "last day of the month (a date)",
    "statement.currency": "currency code",
    "statement.rent_collected": "rent collected for the owner's units, with currency",
    "statement.management_fee_base": "what the management fee is charged on, with currency",
    "statement.management_fee_rate": "the fee's rate in percent (“5”)",
    "statement.management_fee": "the management fee, with currency",
    "statement.expenses": "the units' expenses, with currency",
    "statement.net_payable": "what the company pays the owner, with currency",
    "statement.net_payable_words": "the net payable in words",
    "statement.lines": "list per unit: unit, rent_collected, management_fee, expenses, net",
    **party_placeholders("owner", "the owner"),
}


def _month(first: date, last: date) -> dict:
    return {"start": first.isoformat(), "end": last.isoformat()}


kind_register(
    GeneratedKind(
        kind=TemplateKind.INVOICE,
        model=Receivable,
        document_kind=DocumentKind.INVOICE,
        title=lambda receivable: f"Invoice {receivable.number}",
        context=invoice_context,
        placeholders=INVOICE_PLACEHOLDERS,
        month_records=selectors.month_receivables,
        month_label="Invoices issued in the month",
    )
)
kind_register(
    GeneratedKind(
        kind=TemplateKind.RECEIPT,
        model=Payment,
        document_kind=DocumentKind.RECEIPT,
        title=lambda payment: f"Receipt {payment.number}",
        context=receipt_context,
        placeholders=RECEIPT_PLACEHOLDERS,
        month_records=selectors.month_payments,
        month_label="Receipts of payments received in the month",
    )
)
kind_register(
    GeneratedKind(
        kind=TemplateKind.STATEMENT,
        model=Client,
        document_kind=DocumentKind.STATEMENT,
        title=statement_title,
        context=statement_context,
        placeholders=STATEMENT_PLACEHOLDERS,
        month_records=selectors.month_clients_with_activity,
        month_label="Statements of the month for clients charged or paying in it",
        month_params=_month,
        params_form=StatementPeriodForm,
    )
)
kind_register(
    GeneratedKind(
        kind=TemplateKind.OWNER_STATEMENT,
        model=OwnerStatement,
        document_kind=DocumentKind.OWNER_STATEMENT,
        title=lambda statement: (
            f"Owner statement {statement.owner.name} {statement.period_start:%B %Y}"
        ),
        context=owner_statement_context,
        placeholders=OWNER_STATEMENT_PLACEHOLDERS,
        month_records=selectors.month_owner_statements,
        month_label="Owner statements of the month",
    )
)
