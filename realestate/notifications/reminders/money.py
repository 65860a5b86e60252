"""Reminders about money: instalments falling due, receivables overdue."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Case, CharField, F, QuerySet, Value, When
from django.utils import timezone

from realestate.notifications.choices import MessageKind as K
from realestate.notifications.events import (
    CLIENT_FIELDS,
    company_name,
    content_type_id,
    day,
    money,
    to_client,
)
from realestate.notifications.reminders.base import INSTALMENT_DAYS_AHEAD, days_step, send


def open_receivables():
    """Receivables that still expect money: unsettled, with a balance."""
    from realestate.finance.choices import UNSETTLED
    from realestate.finance.models import Receivable

    return Receivable.objects.filter(status__in=UNSETTLED, amount__gt=F("amount_paid"))


def instalments_due(today: date | None = None) -> int:
    """Instalments falling due within 7 days (step ``7d``) and on the day (``0d``), to the
    buyer."""
    from realestate.finance.choices import ReceivableKind
    from realestate.finance.models import Receivable

    today = today or timezone.localdate()
    company = company_name()
    ct_id = content_type_id(Receivable)
    due = (
        open_receivables()
        .filter(
            kind=ReceivableKind.INSTALMENT,
            due_date__range=(today, today + timedelta(days=INSTALMENT_DAYS_AHEAD)),
        )
        .annotate(
            step_name=Case(
                When(due_date=today, then=Value("0d")),
                default=Value("7d"),
                output_field=CharField(),
            )
        )
    )
    fields = (
        "step_name",
        "sequence",
        "contract__number",
        "unit__code",
        "amount",
        "amount_paid",
        "currency",
        "due_date",
        *CLIENT_FIELDS,
    )

    def build(row):
        (pk, step, sequence, contract, unit, amount, paid, currency, due_date, client_id) = row[:10]
        name, portal_user_id, language = row[10:]
        left = (due_date - today).days
        return [
            to_client(
                K.INSTALMENT_DUE,
                client_id=client_id,
                name=name,
                portal_user_id=portal_user_id,
                language=language,
                ct_id=ct_id,
                object_id=pk,
                step=step,
                context={
                    "number": sequence or "",
                    "contract": contract or "",
                    "unit": unit or "",
                    "amount": money(amount - paid),
                    "currency": currency,
                    "due_date": day(due_date),
                    "when": "today" if left == 0 else f"in {left} days",
                    "company": company,
                },
            )
        ]

    return send(due, fields, build)


def overdue_receivables(today: date, steps) -> QuerySet:
    """Open receivables with a balance at least ``min(steps)`` days past due, annotated
    with the highest step reached (``step_name``)."""
    steps = sorted(set(steps))
    return (
        open_receivables()
        .filter(due_date__lte=today - timedelta(days=steps[0]))
        .annotate(step_name=days_step("due_date", today, steps, before=False))
    )


def receivables_overdue(today: date | None = None) -> int:
    """Overdue reminders to the client who owes: the highest step of
    ``OVERDUE_REMINDER_DAYS`` reached, once; stops when paid or void."""
    from realestate.finance.models import Receivable

    today = today or timezone.localdate()
    steps = settings.OVERDUE_REMINDER_DAYS
    if not steps:
        return 0
    company = company_name()
    ct_id = content_type_id(Receivable)
    overdue = overdue_receivables(today, steps)
    fields = (
        "step_name",
        "number",
        "description",
        "amount",
        "amount_paid",
        "currency",
        "due_date",
        *CLIENT_FIELDS,
    )

    def build(row):
        pk, step, number, description, amount, paid, currency, due_date = row[:8]
        client_id, name, portal_user_id, language = row[8:]
        return [
            to_client(
                K.OVERDUE_REMINDER,
                client_id=client_id,
                name=name,
                portal_user_id=portal_user_id,
                language=language,
                ct_id=ct_id,
                object_id=pk,
                step=step,
                context={
                    "invoice": number,
                    "description": description,
                    "amount": money(amount),
                    "balance": money(amount - paid),
                    "currency": currency,
                    "due_date": day(due_date),
                    "days": (today - due_date).days,
                    "company": company,
                },
            )
        ]

    return send(overdue, fields, build)
