"""CSV/XLSX import of a former system's money: opening balances (a "brought forward"
receivable per client, sale contract or lease) and historical payments, each issued or posted
by finance's services, the calls the admin makes (``core.importing.service_tables``).

Both are keyed by the file's reference, so importing a file twice issues and posts nothing
twice: a known reference is compared with what it made, and a posted payment or an issued
balance never changes by import (a wrong one is reversed or voided on its page). Only the
roles that may move money (adding receivables, posting payments) may import them.
"""

from __future__ import annotations

import re

from django.conf import settings

from realestate.clients.models import Client
from realestate.core.importing.service_tables import ServiceTable
from realestate.core.importing.tables import Column, table_register
from realestate.finance import services
from realestate.finance.choices import UNSETTLED, ReceivableKind
from realestate.finance.models import Payment, Receivable

OLDEST_FIRST = {"", "oldest first", "oldest", "auto"}
BROUGHT_FORWARD = "Balance brought forward"
# Finance stands below sales and leasing: their models are reached through the receivable's
# own links, not imported.
SaleContract = Receivable._meta.get_field("contract").related_model
Lease = Receivable._meta.get_field("lease").related_model


def _shown(value) -> str:
    return "" if value is None else str(value)


class MoneyTable(ServiceTable):
    """What both money tables share: a known reference is compared, never changed."""

    #: Columns compared with the stored record when the reference is known.
    compared: tuple[str, ...] = ()
    #: What the reference made ("invoice", "payment"), and why it is not changed.
    what = "record"
    unchangeable = "it is not changed by import."

    def compare_existing(self, row, instance) -> None:
        key_header = self.column(self.key_field).header
        if not self.visible(instance):
            row.error(key_header, row.key, f"{key_header} “{row.key}” is taken.")
            return
        for name in self.compared:
            if name not in row.values or row.values[name] in (None, ""):
                continue
            column = self.column(name)
            stored = getattr(instance, name)
            given = row.values[name]
            if stored == given:
                continue
            shown = getattr(stored, column.ref[1]) if column.ref and stored else stored
            row.error(
                column.header,
                self.text(row, name),
                f"{key_header} “{row.key}” was imported already as {self.what} "
                f"{instance.number}, with {column.header.lower()} {_shown(shown)}: "
                f"{self.unchangeable}",
            )


@table_register
class OpeningBalanceTable(MoneyTable):
    """Opening balances: one "brought forward" receivable per row (``receivable_create``)."""

    model = Receivable
    key_field = "reference"
    select_related = ("client", "contract", "lease")
    error_column = "amount"
    what = "invoice"
    unchangeable = (
        "an issued balance is not changed by import. Void it on its page and import the "
        "right balance under a new reference."
    )
    compared = ("client", "contract", "lease", "amount", "due_date", "currency")
    columns = [
        Column(
            "reference",
            "Reference",
            "The balance's reference in your former system, unique: importing it again "
            "issues nothing.",
            "OB-2024-0042",
            required=True,
        ),
        Column(
            "client",
            "Client ID number",
            "The client's identity document number; may be empty with a contract or lease.",
            "784-1985-1234567-1",
            ref=(Client, "id_number"),
        ),
        Column(
            "contract",
            "Sale contract",
            "The sale contract's number, for a balance owed on it.",
            "",
            ref=(SaleContract, "number"),
        ),
        Column(
            "lease",
            "Lease",
            "The lease's number, for a balance owed on it.",
            "L-2024-117",
            ref=(Lease, "number"),
        ),
        Column(
            "amount",
            "Amount",
            "What is owed, more than zero, a point for decimals.",
            "12500.00",
            required=True,
        ),
        Column("due_date", "Due", "YYYY-MM-DD.", "2025-12-31", required=True),
        Column("issue_date", "Issued", "YYYY-MM-DD; today when empty.", ""),
        Column("description", "Description", f"“{BROUGHT_FORWARD}” when empty.", ""),
        Column("currency", "Currency", "Three letters; the lease's or contract's when empty.", ""),
        Column("number", "Invoice number", "Exported only: given on import.", readonly=True),
        Column("kind", "Kind", "Exported only.", readonly=True),
        Column("amount_paid", "Paid", "Exported only.", readonly=True),
        Column("status", "Status", "Exported only.", readonly=True),
    ]

    @property
    def verbose_name_plural(self) -> str:
        return "opening balances"

    def check_new(self, row) -> None:
        values = row.values
        contract, lease = values.get("contract"), values.get("lease")
        if contract and lease:
            row.error(
                self.column("lease").header,
                self.text(row, "lease"),
                "A balance is owed on a sale contract or on a lease, not both.",
            )
            return
        owner = contract.buyer if contract else lease.tenant if lease else None
        client = values.get("client")
        if client is None and owner is None:
            header = self.column("client").header
            row.error(header, "", f"{header} is empty: give the client, a contract or a lease.")
        elif client is not None and owner is not None and owner.pk != client.pk:
            record = contract or lease
            row.error(
                self.column("client").header,
                self.text(row, "client"),
                f"{record.number} is {owner}'s, not {client}'s.",
            )
        else:
            values["client"] = client or owner

    def write_row(self, row, job) -> None:
        values = row.values
        record = values.get("contract") or values.get("lease")
        services.receivable_create(
            client=values["client"],
            kind=ReceivableKind.OPENING,
            amount=values["amount"],
            due_date=values["due_date"],
            issue_date=values.get("issue_date"),
            description=values.get("description") or BROUGHT_FORWARD,
            currency=values.get("currency") or (record.currency if record else None),
            unit=record.unit if record else None,
            contract=values.get("contract"),
            lease=values.get("lease"),
            reference=row.key,
        )


@table_register
class PaymentTable(MoneyTable):
    """Historical payments: each posted by ``payment_post`` with the row's reference as its
    idempotency key, allocated to the invoices it names (the rest oldest first, then
    credit), with its receipt number."""

    model = Payment
    key_field = "idempotency_key"
    select_related = ("client",)
    error_column = "method"
    what = "payment"
    unchangeable = (
        "a posted payment never changes. Reverse it on its page and import the right "
        "payment under a new reference."
    )
    compared = ("client", "amount", "received_on", "method", "currency")
    columns = [
        Column(
            "idempotency_key",
            "Reference",
            "The payment's reference (bank transaction, receipt of the former system), "
            "unique: importing it again posts nothing.",
            "TRX-88231",
            required=True,
        ),
        Column(
            "client",
            "Client ID number",
            "The payer's identity document number, as on the client's record.",
            "784-1985-1234567-1",
            required=True,
            ref=(Client, "id_number"),
        ),
        Column(
            "received_on",
            "Date",
            "The day it was received, YYYY-MM-DD.",
            "2025-01-05",
            required=True,
        ),
        Column(
            "amount", "Amount", "More than zero, a point for decimals.", "9500.00", required=True
        ),
        Column("method", "Method", "One of the list.", "Bank transfer", required=True),
        Column(
            "pays",
            "Pays",
            "Invoice numbers, separated by commas, paid first (oldest due first); the rest "
            "goes to the client's other invoices oldest first, then stays as credit. Empty "
            "or “oldest first”: oldest first.",
            "oldest first",
        ),
        Column("cheque_number", "Cheque number", "For a cheque.", ""),
        Column("cheque_bank", "Cheque bank", "For a cheque.", ""),
        Column("cheque_date", "Cheque date", "For a cheque, YYYY-MM-DD.", ""),
        Column(
            "currency", "Currency", f"Three letters; {settings.DEFAULT_CURRENCY} when empty.", ""
        ),
        Column("note", "Note", "Free text.", ""),
        Column("number", "Receipt number", "Exported only: given on import.", readonly=True),
        Column("amount_allocated", "Allocated", "Exported only.", readonly=True),
        Column("status", "Status", "Exported only.", readonly=True),
    ]

    def check_new(self, row) -> None:
        values = row.values
        text = (values.get("pays") or "").strip()
        values["pays"] = []
        if text.lower() in OLDEST_FIRST:
            return
        numbers = [number for number in re.split(r"[,;\s]+", text) if number]
        found = {
            receivable.number: receivable
            for receivable in Receivable.objects.restrict(self.user, "view").filter(
                number__in=numbers
            )
        }
        header = self.column("pays").header
        currency = values.get("currency") or settings.DEFAULT_CURRENCY
        for number in numbers:
            receivable = found.get(number)
            if receivable is None:
                row.error(header, text, f"No invoice {number} (or not one you may see).")
            elif receivable.client_id != values["client"].pk:
                row.error(header, text, f"{number} belongs to another client.")
            elif receivable.status not in UNSETTLED:
                status = receivable.get_status_display().lower()
                row.error(header, text, f"{number} is {status}: nothing is due on it.")
            elif receivable.currency != currency:
                row.error(
                    header,
                    text,
                    f"{number} is in {receivable.currency}, the payment in {currency}.",
                )
        values["pays"] = [found[number] for number in numbers if number in found]

    def write_row(self, row, job) -> None:
        values = row.values
        # What the named invoices still owe now (an earlier row of the file may have paid
        # some): the payment's money on them, oldest due first, each up to its balance.
        chosen, left = [], values["amount"]
        named = Receivable.objects.filter(pk__in=[r.pk for r in values["pays"]])
        for receivable in named.order_by("due_date", "pk"):
            take = min(left, receivable.balance)
            if take > 0 and receivable.status in UNSETTLED:
                chosen.append(services.AllocationRequest(receivable, take))
                left -= take
        services.payment_post(
            client=values["client"],
            amount=values["amount"],
            method=values["method"],
            received_on=values["received_on"],
            by=job.user,
            idempotency_key=row.key,
            reference=row.key,
            cheque_number=values.get("cheque_number") or "",
            cheque_bank=values.get("cheque_bank") or "",
            cheque_date=values.get("cheque_date"),
            note=values.get("note") or "",
            currency=values.get("currency") or None,
            allocations=chosen or None,
            allocate_rest=bool(chosen),
            # History from the former system: its payers had their receipts then.
            notify=False,
        )

    # --- export: the invoices each payment paid ------------------------------------------

    def export_value(self, obj, column: Column):
        if column.name == "pays":
            return ", ".join(a.receivable.number for a in obj.allocations.all())
        return super().export_value(obj, column)

    def export_rows(self, queryset):
        queryset = self.export_queryset(queryset).prefetch_related("allocations__receivable")
        for payment in queryset.iterator(chunk_size=2000):
            yield self.export_row(payment)
