"""Documents of leasing: the lease agreement, with its rent schedule."""

from __future__ import annotations

from realestate.clients.documents import party, party_placeholders
from realestate.core.dates import add_months, month_end
from realestate.core.money import format_money, percent_text
from realestate.documents.choices import DocumentKind, TemplateKind
from realestate.documents.kinds import GeneratedKind, kind_register
from realestate.documents.words import amount_in_words, figures
from realestate.leasing.models import Lease
from realestate.leasing.periods import rent_periods
from realestate.leasing.selectors import deposit_held
from realestate.properties.documents import unit_data, unit_placeholders

#: How far ahead the agreement shows the rent of an open-ended lease with no schedule yet.
HORIZON_MONTHS = 12


def rent_schedule(lease: Lease) -> list[dict]:
    """The lease's rent periods: its laid-out schedule, or (a draft) the one its terms make."""
    rows = list(
        lease.rent_charges.order_by("period_start").values(
            "period_start", "period_end", "due_date", "amount"
        )
    )
    if rows:
        return rows
    window_end = lease.end_date or month_end(add_months(lease.start_date, HORIZON_MONTHS - 1))
    return [
        {"period_start": p.start, "period_end": p.end, "due_date": p.due_date, "amount": p.amount}
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
    ]


def lease_context(lease: Lease) -> dict:
    currency = lease.currency
    schedule = rent_schedule(lease)
    total = sum((row["amount"] for row in schedule), 0)
    agent = lease.agent
    return {
        "lease": {
            "number": lease.number,
            "status": str(lease.get_status_display()),
            "start_date": lease.start_date,
            "end_date": lease.end_date,
            "term": str(lease.get_term_type_display()),
            "currency": currency,
            "monthly_rent": format_money(lease.monthly_rent, currency),
            "monthly_rent_words": amount_in_words(lease.monthly_rent, currency),
            "monthly_rent_words_ar": amount_in_words(lease.monthly_rent, currency, "ar"),
            "annual_rent": format_money(lease.monthly_rent * 12, currency),
            "billing": str(lease.get_billing_frequency_display()),
            "billing_day": lease.billing_day,
            "escalation_percent": percent_text(lease.escalation_percent),
            "deposit": format_money(lease.deposit_amount, currency),
            "deposit_words": amount_in_words(lease.deposit_amount, currency),
            "deposit_held": format_money(deposit_held(lease), currency),
            "renews": lease.renewed_from.number if lease.renewed_from_id else "",
            "notes": lease.notes,
        },
        "tenant": party(lease.tenant),
        "landlord": party(lease.unit.owner) if lease.unit.owner_id else None,
        "unit": unit_data(lease.unit),
        "schedule": [
            {**row, "number": index, "amount": figures(row["amount"])}
            for index, row in enumerate(schedule, start=1)
        ],
        "schedule_total": format_money(total, currency),
        "agent": {
            "name": agent.get_full_name() or agent.username,
            "email": agent.email,
            "phone": agent.phone,
        }
        if agent
        else None,
    }


kind_register(
    GeneratedKind(
        kind=TemplateKind.LEASE_AGREEMENT,
        model=Lease,
        document_kind=DocumentKind.LEASE_AGREEMENT,
        title=lambda lease: f"Lease agreement {lease.number}",
        context=lease_context,
        placeholders={
            "lease.number": "lease number (LS-2026-00001)",
            "lease.status": "Draft, Active, Ended or Terminated",
            "lease.start_date": "first day of the lease (a date)",
            "lease.end_date": "last day (a date; empty for a periodic lease)",
            "lease.term": "Fixed term, Fixed, rolling over, or Periodic",
            "lease.currency": "currency code",
            "lease.monthly_rent": "monthly rent with currency",
            "lease.monthly_rent_words": "the monthly rent in words, in English",
            "lease.monthly_rent_words_ar": "the monthly rent in words, in Arabic",
            "lease.annual_rent": "twelve months' rent with currency (before escalation)",
            "lease.billing": "billing frequency: Monthly, Quarterly or Yearly",
            "lease.billing_day": "day of the month rent falls due",
            "lease.escalation_percent": "yearly rent increase in percent (“5”)",
            "lease.deposit": "the security deposit with currency",
            "lease.deposit_words": "the deposit in words",
            "lease.deposit_held": "the deposit held now, with currency",
            "lease.renews": "the number of the lease this one renews (empty if none)",
            "lease.notes": "notes (special conditions)",
            **party_placeholders("tenant", "the tenant"),
            **party_placeholders("landlord", "the unit's owner (landlord is empty if none)"),
            **unit_placeholders(),
            "schedule": "list of rent periods: number, period_start, period_end, due_date, "
            "amount (figures)",
            "schedule_total": "the schedule's total with currency",
            "agent.name": "the leasing agent's name (agent is empty when none)",
            "agent.email": "the agent's e-mail",
            "agent.phone": "the agent's phone",
        },
    )
)
