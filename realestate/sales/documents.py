"""Documents of sales: the sale contract and the reservation form."""

from __future__ import annotations

from django.utils import timezone

from realestate.clients.documents import party, party_placeholders
from realestate.core.money import format_money, percent_text
from realestate.documents.choices import DocumentKind, TemplateKind
from realestate.documents.kinds import GeneratedKind, kind_register
from realestate.documents.words import amount_in_words, figures
from realestate.finance.choices import ReceivableStatus
from realestate.properties.documents import unit_data, unit_placeholders
from realestate.sales.instalments import instalments_plan
from realestate.sales.models import Reservation, SaleContract


def _person(user) -> dict | None:
    if user is None:
        return None
    return {"name": user.get_full_name() or user.username, "email": user.email, "phone": user.phone}


def contract_schedule(contract: SaleContract) -> tuple[list[dict], bool]:
    """The contract's instalments: its live schedule once signed, else the one its terms
    would lay out on its signing date (or the day it was drafted). Second: projected?"""
    rows = list(
        contract.receivables.exclude(status=ReceivableStatus.VOID)
        .order_by("sequence", "due_date", "pk")
        .values_list("sequence", "description", "due_date", "amount")
    )
    if rows:
        prefix = f"{contract.number} "
        return [
            {
                "sequence": index,
                "label": description.removeprefix(prefix),
                "due_date": due,
                "amount": amount,
            }
            for index, (_sequence, description, due, amount) in enumerate(rows, start=1)
        ], False
    signing = contract.signing_date or timezone.localdate(contract.created_at)
    plan = instalments_plan(
        net_price=contract.net_price,
        down_payment_percent=contract.down_payment_percent,
        instalment_count=contract.instalment_count,
        frequency=contract.frequency,
        handover_percent=contract.handover_percent,
        grace_months=contract.grace_months,
        signing_date=signing,
        handover_date=contract.handover_date,
    )
    return [
        {
            "sequence": row.sequence,
            "label": row.label,
            "due_date": row.due_date,
            "amount": row.amount,
        }
        for row in plan
    ], True


def contract_context(contract: SaleContract) -> dict:
    currency = contract.currency
    buyers = [contract.buyer, *contract.co_buyers.order_by("name")]
    schedule, projected = contract_schedule(contract)
    total = sum((row["amount"] for row in schedule), 0)
    net = contract.net_price
    return {
        "contract": {
            "number": contract.number,
            "status": str(contract.get_status_display()),
            "date": contract.signing_date or timezone.localdate(contract.created_at),
            "signing_date": contract.signing_date,
            "handover_date": contract.handover_date,
            "currency": currency,
            "price": format_money(contract.price, currency),
            "discount": format_money(contract.discount, currency),
            "has_discount": bool(contract.discount),
            "net_price": format_money(net, currency),
            "net_price_words": amount_in_words(net, currency),
            "net_price_words_ar": amount_in_words(net, currency, "ar"),
            "notes": contract.notes,
        },
        "buyers": [party(buyer) for buyer in buyers],
        "unit": unit_data(contract.unit),
        "plan": {
            "name": contract.plan.name if contract.plan_id else "",
            "down_payment_percent": percent_text(contract.down_payment_percent),
            "instalment_count": contract.instalment_count,
            "frequency": str(contract.get_frequency_display()),
            "handover_percent": percent_text(contract.handover_percent),
            "grace_months": contract.grace_months,
        },
        "schedule": [
            {
                **row,
                "amount": figures(row["amount"]),
                "percent": f"{(row['amount'] * 100 / net):.2f}" if net else "",
            }
            for row in schedule
        ],
        "schedule_total": format_money(total, currency),
        "schedule_total_figures": figures(total),
        "schedule_projected": projected,
        "agent": _person(contract.agent),
        "signatories": [
            {"role": "Buyer" if index == 0 else "Co-buyer", "name": buyer.name}
            for index, buyer in enumerate(buyers)
        ],
    }


CONTRACT_PLACEHOLDERS = {
    "contract.number": "contract number (SC-2026-00017)",
    "contract.status": "Draft, Signed, Completed or Cancelled",
    "contract.date": "the contract's date: signing date, or the day it was drafted (a date)",
    "contract.signing_date": "signing date (a date; empty for a draft)",
    "contract.handover_date": "handover date (a date)",
    "contract.currency": "currency code",
    "contract.price": "price with currency (“AED 1,850,000.00”)",
    "contract.discount": "discount with currency",
    "contract.has_discount": "true when there is a discount",
    "contract.net_price": "net price (price less discount), with currency",
    "contract.net_price_words": "the net price in words, in English",
    "contract.net_price_words_ar": "the net price in words, in Arabic",
    "contract.notes": "the contract's notes (special conditions)",
    "buyers": "list of buyers, the main buyer first; each with the party keys below",
    **party_placeholders("buyers[]", "each buyer"),
    **unit_placeholders(),
    "plan.name": "the payment plan's name",
    "plan.down_payment_percent": "down payment in percent (“10”)",
    "plan.instalment_count": "number of instalments",
    "plan.frequency": "Monthly, Quarterly, Every six months or Yearly",
    "plan.handover_percent": "paid on handover, in percent",
    "plan.grace_months": "months from signing to the first instalment",
    "schedule": "list of instalments: sequence, label, due_date, amount (figures), percent "
    "(of the net price)",
    "schedule_total": "the schedule's total with currency (equals the net price)",
    "schedule_total_figures": "the schedule's total in figures",
    "schedule_projected": "true for a draft: the schedule its terms would lay out",
    "agent.name": "the agent's name (agent is empty when none)",
    "agent.email": "the agent's e-mail",
    "agent.phone": "the agent's phone",
    "signatories": "list of the buyers' signature lines: role (Buyer, Co-buyer), name",
}


def reservation_context(reservation: Reservation) -> dict:
    currency = reservation.currency
    unit = reservation.unit
    return {
        "reservation": {
            "number": reservation.number,
            "status": str(reservation.get_status_display()),
            "date": timezone.localdate(reservation.created_at),
            "expires_at": timezone.localtime(reservation.expires_at),
            "currency": currency,
            "deposit": format_money(reservation.deposit, currency),
            "deposit_words": amount_in_words(reservation.deposit, currency),
            "deposit_words_ar": amount_in_words(reservation.deposit, currency, "ar"),
            "list_price": format_money(unit.list_price, unit.currency)
            if unit.list_price is not None
            else "",
            "notes": reservation.notes,
        },
        "client": party(reservation.client),
        "unit": unit_data(unit),
        "agent": _person(reservation.agent),
    }


RESERVATION_PLACEHOLDERS = {
    "reservation.number": "reservation number (RS-2026-00001)",
    "reservation.status": "Active, Converted, Cancelled or Expired",
    "reservation.date": "the day it was made (a date)",
    "reservation.expires_at": "when the hold ends (a date and time)",
    "reservation.currency": "currency code",
    "reservation.deposit": "the deposit with currency",
    "reservation.deposit_words": "the deposit in words, in English",
    "reservation.deposit_words_ar": "the deposit in words, in Arabic",
    "reservation.list_price": "the unit's list price with currency",
    "reservation.notes": "notes",
    **party_placeholders("client", "the client reserving"),
    **unit_placeholders(),
    "agent.name": "the agent's name (agent is empty when none)",
    "agent.email": "the agent's e-mail",
    "agent.phone": "the agent's phone",
}


kind_register(
    GeneratedKind(
        kind=TemplateKind.SALE_CONTRACT,
        model=SaleContract,
        document_kind=DocumentKind.SALE_CONTRACT,
        title=lambda contract: f"Sale contract {contract.number}",
        context=contract_context,
        placeholders=CONTRACT_PLACEHOLDERS,
    )
)
kind_register(
    GeneratedKind(
        kind=TemplateKind.RESERVATION_FORM,
        model=Reservation,
        document_kind=DocumentKind.RESERVATION_FORM,
        title=lambda reservation: f"Reservation form {reservation.number}",
        context=reservation_context,
        placeholders=RESERVATION_PLACEHOLDERS,
    )
)
