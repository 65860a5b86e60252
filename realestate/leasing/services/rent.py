"""The rent schedule of a lease and the monthly rent run, set-based."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import (
    Q,
)
from django.utils import timezone

from realestate.core.dates import add_months, month_end, month_start
from realestate.core.numbering import numbers_lock
from realestate.finance import services as finance
from realestate.finance.choices import ReceivableKind
from realestate.finance.models import Receivable
from realestate.leasing import signals
from realestate.leasing.choices import (
    LeaseStatus,
)
from realestate.leasing.models import Lease, RentCharge
from realestate.leasing.periods import rent_periods

#: How far ahead the schedule of an open-ended (periodic) lease is laid out.


SCHEDULE_HORIZON_MONTHS = 12


def _schedule_window_end(lease: Lease, today: date) -> date:
    if lease.end_date:
        return lease.end_date
    return month_end(add_months(max(today, lease.start_date), SCHEDULE_HORIZON_MONTHS))


def rent_schedule_generate(*, lease: Lease, today: date | None = None) -> int:
    """Lay out the lease's rent periods. Invoiced periods never change: only the unbilled
    ones are removed and written again from the current terms."""
    today = today or timezone.localdate()
    with transaction.atomic():
        charges = RentCharge.objects.filter(lease=lease)
        invoiced = set(
            charges.filter(receivable__isnull=False).values_list("period_start", flat=True)
        )
        last_invoiced = max(invoiced) if invoiced else None
        charges.filter(receivable__isnull=True).delete()
        window_end = _schedule_window_end(lease, today)
        new = [
            RentCharge(
                lease=lease,
                period_start=p.start,
                period_end=p.end,
                due_date=p.due_date,
                amount=p.amount,
                currency=lease.currency,
            )
            for p in rent_periods(
                start_date=lease.start_date,
                end_date=lease.end_date,
                monthly_rent=lease.monthly_rent,
                billing_frequency=lease.billing_frequency,
                billing_day=lease.billing_day,
                escalation_percent=lease.escalation_percent,
                window_start=lease.start_date,
                window_end=window_end,
            )
            if p.start not in invoiced and (last_invoiced is None or p.start > last_invoiced)
        ]
        RentCharge.objects.bulk_create(new)
    return len(new)


def rent_invoices_issue(*, month: date | None = None, batch_size: int = 5000) -> int:
    """Invoice the rent falling due in ``month`` for every active lease, set-based.

    Missing schedule rows for the month are computed from one query over the leases and
    inserted in bulk; then every uninvoiced charge of the month gets its receivable in one
    INSERT … SELECT. The invoice counter is locked first, so a second run, or one running beside it,
    waits and then finds nothing left to invoice. Each tenant is told of their new invoice
    (``signals.rent_invoices_issued``, sent in the same transaction).
    """
    first = month_start(month or timezone.localdate())
    last = month_end(first)
    with transaction.atomic():
        numbers_lock(finance.INVOICE_PREFIX, year=first.year)
        leases = (
            Lease.objects.filter(status=LeaseStatus.ACTIVE, start_date__lte=last)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
            .values_list(
                "pk",
                "start_date",
                "end_date",
                "monthly_rent",
                "currency",
                "billing_frequency",
                "billing_day",
                "escalation_percent",
            )
        )
        have = set(
            RentCharge.objects.filter(period_start__range=(first, last)).values_list(
                "lease_id", "period_start"
            )
        )
        missing = []
        for pk, start, end, rent, currency, frequency, day, escalation in leases.iterator(
            chunk_size=batch_size
        ):
            for period in rent_periods(
                start_date=start,
                end_date=end,
                monthly_rent=rent,
                billing_frequency=frequency,
                billing_day=day,
                escalation_percent=escalation,
                window_start=first,
                window_end=last,
            ):
                if (pk, period.start) not in have:
                    missing.append(
                        RentCharge(
                            lease_id=pk,
                            period_start=period.start,
                            period_end=period.end,
                            due_date=period.due_date,
                            amount=period.amount,
                            currency=currency,
                        )
                    )
        RentCharge.objects.bulk_create(missing, batch_size=batch_size, ignore_conflicts=True)

        due = RentCharge.objects.filter(
            period_start__range=(first, last),
            receivable__isnull=True,
            lease__status=LeaseStatus.ACTIVE,
        )
        issued_before = timezone.now()
        created = finance.receivables_issue_for_rent_charges(charges=due, year=first.year)
        if created:
            # The rows this run wrote (the counter's lock keeps any other run out until
            # this transaction ends): each tenant is told, with the invoice's PDF.
            signals.rent_invoices_issued.send(
                sender=Receivable,
                receivables=Receivable.objects.filter(
                    kind=ReceivableKind.RENT,
                    rent_charge__period_start__range=(first, last),
                    created_at__gte=issued_before,
                ),
            )
        return created
