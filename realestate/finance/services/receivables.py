"""Receivables: issued one by one or, for rent, in bulk; voided; flagged overdue.

Only finance writes receivables: sales and leasing ask these services for them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.models import (
    Case,
    CharField,
    DateField,
    DateTimeField,
    F,
    Value,
    When,
    Window,
)
from django.db.models.functions import (
    Cast,
    Concat,
    ExtractDay,
    ExtractYear,
    Greatest,
    Length,
    LPad,
    RowNumber,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from realestate.core.money import money_field, to_money
from realestate.core.numbering import WIDTH as NUMBER_WIDTH
from realestate.core.numbering import numbers_lock, numbers_take
from realestate.core.workflow import step
from realestate.finance.choices import (
    UNSETTLED,
    ReceivableKind,
    ReceivableStatus,
)
from realestate.finance.models import (
    Receivable,
)

INVOICE_PREFIX = "INV"
ZERO = Decimal("0.00")


def receivable_status(receivable: Receivable, today: date | None = None) -> str:
    """The status a receivable's amounts and due date call for."""
    if receivable.status == ReceivableStatus.VOID:
        return ReceivableStatus.VOID
    if receivable.amount_paid >= receivable.amount:
        return ReceivableStatus.PAID
    today = today or timezone.localdate()
    if receivable.due_date < today:
        return ReceivableStatus.OVERDUE
    if receivable.amount_paid > 0:
        return ReceivableStatus.PARTIALLY_PAID
    return ReceivableStatus.OPEN


def receivable_create(
    *,
    client,
    kind: str,
    amount: Decimal,
    due_date: date,
    description: str,
    issue_date: date | None = None,
    currency: str | None = None,
    **links,
) -> Receivable:
    """Issue one receivable with the next invoice number. ``links``: unit, contract,
    sequence, reservation, lease, rent_charge, parent, late_fee_period."""
    amount = to_money(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("A charge must be more than zero.")})
    with transaction.atomic():
        [number] = numbers_take(INVOICE_PREFIX)
        receivable = Receivable(
            number=number,
            client=client,
            kind=kind,
            amount=amount,
            due_date=due_date,
            description=description,
            issue_date=issue_date or timezone.localdate(),
            **links,
        )
        if currency:
            receivable.currency = currency
        receivable.status = receivable_status(receivable)
        receivable.full_clean(exclude=["number"])
        receivable.save()
    return receivable


@step(_lazy("Void receivable"), record="receivable", permission="finance.void_receivable")
def receivable_void(*, receivable: Receivable, reason: str, by=None) -> Receivable:
    """Void what is still due on one receivable (a charge made in error, a balance waived):
    money already paid on it stays paid, and nothing more is expected."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the receivable is voided.")})
    with transaction.atomic():
        locked = Receivable.objects.select_for_update().get(pk=receivable.pk)
        if locked.status not in UNSETTLED:
            raise ValidationError(
                _("%(number)s is %(status)s: nothing is due on it.")
                % {"number": locked.number, "status": locked.get_status_display().lower()}
            )
        locked.status = ReceivableStatus.VOID
        locked._change_reason = reason
        if by is not None:
            locked._history_user = by
        locked.save(update_fields=["status", "updated_at"])
    receivable.status = locked.status
    return locked


def deposit_join_schedule(*, contract) -> Decimal:
    """A reservation's deposit is part of the price: its receivable becomes line 1 of the
    contract's instalment schedule (money already paid on it stays where it is). Returns the
    deposit's amount, or zero when there is no live deposit or it exceeds the net price."""
    if not contract.reservation_id:
        return ZERO
    deposit = (
        Receivable.objects.select_for_update()
        .filter(reservation_id=contract.reservation_id, kind=ReceivableKind.DEPOSIT)
        .exclude(status=ReceivableStatus.VOID)
        .first()
    )
    if deposit is None or deposit.amount > contract.net_price:
        return ZERO
    deposit.contract, deposit.sequence = contract, 1
    deposit.save(update_fields=["contract", "sequence", "updated_at"])
    return deposit.amount


def receivables_void(queryset, *, reason: str = "") -> int:
    """Void the unsettled receivables in ``queryset`` (money already paid stays paid)."""
    voided = 0
    for receivable in queryset.select_for_update().filter(status__in=UNSETTLED):
        receivable.status = ReceivableStatus.VOID
        receivable._change_reason = reason
        receivable.save(update_fields=["status", "updated_at"])
        voided += 1
    return voided


def receivables_mark_overdue(today: date | None = None) -> int:
    """Flag unsettled receivables past their due date. Set-based; running twice is harmless."""
    today = today or timezone.localdate()
    return Receivable.objects.filter(
        status__in=(ReceivableStatus.OPEN, ReceivableStatus.PARTIALLY_PAID), due_date__lt=today
    ).update(status=ReceivableStatus.OVERDUE, updated_at=timezone.now())


# --- rent invoices, issued in bulk -----------------------------------------------------------
def receivables_issue_for_rent_charges(*, charges, year: int) -> int:
    """Invoice ``charges`` (a queryset of uninvoiced rent charges) in one INSERT … SELECT,
    numbered from the invoice counter, which stays locked until the caller's transaction
    ends. Set-based: 100,000 charges take seconds."""
    counter = numbers_lock(INVOICE_PREFIX, year=year)
    created = _rent_receivables_insert(
        charges, first_number=counter.last_value + 1, year=year, today=timezone.localdate()
    )
    counter.last_value += created
    counter.save(update_fields=["last_value"])
    return created


def _date_text(field: str):
    """``field`` as ``f"{day:%d %b %Y}"`` (``05 Mar 2026``), computed by the database."""

    def text(expression):
        return Cast(expression, CharField())

    months = [
        When(**{f"{field}__month": month}, then=Value(date(2000, month, 1).strftime("%b")))
        for month in range(1, 13)
    ]
    return Concat(
        LPad(text(ExtractDay(field)), 2, Value("0")),
        Value(" "),
        Case(*months, output_field=CharField()),
        Value(" "),
        text(ExtractYear(field)),
        output_field=CharField(),
    )


def _rent_receivables_insert(charges, *, first_number: int, year: int, today: date) -> int:
    """One receivable per rent charge in ``charges``, written by a single INSERT … SELECT:
    numbered ``INV-<year>-…`` from ``first_number`` in charge order, described
    ``Rent <lease> 01 Mar 2026–31 Mar 2026``, issued ``today`` and open. The rows never
    travel through Python, so 100,000 of them take seconds. Returns how many were written."""
    position = Cast(
        Window(RowNumber(), order_by=F("pk").asc()) + Value(first_number - 1), CharField()
    )
    now = timezone.now()
    columns = {  # receivable column: what the charge gives it
        "number": Concat(
            Value(f"{INVOICE_PREFIX}-{year}-"),
            LPad(position, Greatest(Value(NUMBER_WIDTH), Length(position)), Value("0")),
            output_field=CharField(),
        ),
        "client": F("lease__tenant_id"),
        "unit": F("lease__unit_id"),
        "kind": Value(ReceivableKind.RENT, output_field=CharField()),
        "lease": F("lease_id"),
        "rent_charge": F("pk"),
        "currency": F("currency"),
        "description": Concat(
            Value("Rent "),
            F("lease__number"),
            Value(" "),
            _date_text("period_start"),
            Value("–"),
            _date_text("period_end"),
            output_field=CharField(),
        ),
        "issue_date": Value(today, output_field=DateField()),
        "due_date": F("due_date"),
        "amount": F("amount"),
        "amount_paid": Value(Decimal("0.00"), output_field=money_field()),
        "status": Value(ReceivableStatus.OPEN, output_field=CharField()),
        "created_at": Value(now, output_field=DateTimeField()),
        "updated_at": Value(now, output_field=DateTimeField()),
    }
    aliases = {name: f"new_{name}" for name in columns}
    select = (
        charges.order_by()
        .annotate(**{aliases[name]: value for name, value in columns.items()})
        .values(*aliases.values())
    )
    connection = connections[Receivable.objects.db]
    quote = connection.ops.quote_name
    sql, params = select.query.sql_with_params()
    targets = ", ".join(quote(Receivable._meta.get_field(name).column) for name in columns)
    picked = ", ".join(f"q.{quote(alias)}" for alias in aliases.values())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(Receivable._meta.db_table)} ({targets}) "
            f"SELECT {picked} FROM ({sql}) q",
            params,
        )
        return cursor.rowcount
