"""Sales services: reservations, contracts, commissions.

The unit's status moves only here (and in leasing), through
``properties.services.unit_status_change(workflow=True)``, which locks the unit row: two
people reserving or selling the same unit at once queue on that lock, and the second is
refused because the unit is no longer available. Partial unique indexes (one active
reservation, one live contract per unit) stand behind the lock.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from realestate.core.assignments import agents_check, default_agent
from realestate.core.money import percent_text, to_money
from realestate.core.numbering import number_take
from realestate.core.workflow import step
from realestate.documents.choices import DocumentKind
from realestate.documents.services import document_upload
from realestate.finance import services as finance
from realestate.finance.choices import UNSETTLED, ReceivableKind, ReceivableStatus
from realestate.finance.models import Receivable
from realestate.properties.choices import ProjectStatus, UnitStatus
from realestate.properties.models import Unit
from realestate.properties.services import unit_status_change
from realestate.sales.choices import (
    COMMISSION_FLOW,
    CONTRACT_FLOW,
    RESERVATION_FLOW,
    CommissionStatus,
    ContractStatus,
    ReservationStatus,
)
from realestate.sales.instalments import instalments_plan
from realestate.sales.models import Commission, PaymentPlan, Reservation, SaleContract

#: Sent in the transaction of the expiry job that released a reservation (``reservation``).
#: Defined here rather than in ``signals.py``, whose receivers call these services.
reservation_expired = Signal()


def _lock_unit(unit: Unit) -> Unit:
    return Unit.objects.select_for_update().get(pk=unit.pk)


# --- reservations -------------------------------------------------------------------------
@step(_lazy("Reserve unit"), record="unit", permission="sales.add_reservation", log_on=None)
def reservation_create(
    *,
    unit: Unit,
    client,
    deposit: Decimal,
    expires_at: datetime,
    by=None,
    agent=None,
    notes: str = "",
) -> Reservation:
    """Hold an available unit for a client; the deposit becomes a receivable due today."""
    deposit = to_money(deposit)
    if expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The reservation must expire in the future.")})
    try:
        with transaction.atomic():
            locked = _lock_unit(unit)
            if locked.status != UnitStatus.AVAILABLE:
                raise ValidationError(
                    _("Unit %(code)s is %(status)s: it cannot be reserved.")
                    % {"code": locked.code, "status": locked.get_status_display().lower()},
                    code="unit_unavailable",
                )
            reservation = Reservation(
                unit=locked,
                client=client,
                deposit=deposit,
                currency=locked.currency,
                expires_at=expires_at,
                agent=agent or default_agent(locked.agent),
                notes=notes,
            )
            agents_check(reservation)
            unit_status_change(unit=locked, status=UnitStatus.RESERVED, by=by, workflow=True)
            reservation.number = number_take("RS")
            if by is not None:
                reservation._history_user = by
            reservation.save()
            if deposit > 0:
                finance.receivable_create(
                    client=client,
                    kind=ReceivableKind.DEPOSIT,
                    amount=deposit,
                    due_date=timezone.localdate(),
                    currency=locked.currency,
                    unit=locked,
                    reservation=reservation,
                    description=f"Reservation deposit {reservation.number} – {locked.code}",
                )
    except IntegrityError as error:
        raise ValidationError(
            _("Unit %(code)s was reserved by someone else just now.") % {"code": unit.code},
            code="unit_unavailable",
        ) from error
    unit.status = UnitStatus.RESERVED
    return reservation


def _reservation_close(reservation: Reservation, status: str, by, reason: str = ""):
    with transaction.atomic():
        # The unit is locked before the reservation, in the order contract_sign takes them:
        # a cancellation racing a signing then queues behind it instead of deadlocking.
        unit = _lock_unit(
            Unit(pk=Reservation.objects.values_list("unit_id", flat=True).get(pk=reservation.pk))
        )
        locked = Reservation.objects.select_for_update().get(pk=reservation.pk)
        if locked.status != ReservationStatus.ACTIVE:
            raise ValidationError(
                _("Reservation %(number)s is already %(status)s.")
                % {"number": locked.number, "status": locked.get_status_display().lower()}
            )
        RESERVATION_FLOW.apply(locked, status, by, closed_at=timezone.now(), cancel_reason=reason)
        if unit.status == UnitStatus.RESERVED:
            unit_status_change(unit=unit, status=UnitStatus.AVAILABLE, by=by, workflow=True)
        finance.receivables_void(
            Receivable.objects.filter(reservation=locked, amount_paid=0),
            reason=f"Reservation {locked.number} {status}",
        )
        if status == ReservationStatus.EXPIRED:
            reservation_expired.send(sender=Reservation, reservation=locked)
    reservation.status = locked.status
    return locked


@step(_lazy("Cancel reservation"), record="reservation")
def reservation_cancel(*, reservation: Reservation, by=None, reason: str = "") -> Reservation:
    if not reason.strip():
        raise ValidationError({"cancel_reason": _("Say why the reservation is cancelled.")})
    return _reservation_close(reservation, ReservationStatus.CANCELLED, by, reason)


def reservations_expire(now: datetime | None = None) -> int:
    """Release every active reservation past its expiry. Each in its own transaction, and
    each re-checked under its lock: running twice, or beside itself, expires each once."""
    now = now or timezone.now()
    expired = 0
    due = Reservation.objects.filter(status=ReservationStatus.ACTIVE, expires_at__lte=now)
    for reservation in due.only("pk").iterator():
        try:
            _reservation_close(reservation, ReservationStatus.EXPIRED, None, "Expired")
            expired += 1
        except ValidationError:
            continue  # closed meanwhile by staff or by another run
    return expired


# --- contracts ----------------------------------------------------------------------------
@step(_lazy("Draft sale contract"), record="unit", permission="sales.add_salecontract", log_on=None)
def contract_create(
    *,
    unit: Unit,
    buyer,
    price: Decimal,
    by=None,
    discount: Decimal = 0,
    plan: PaymentPlan | None = None,
    agent=None,
    reservation: Reservation | None = None,
    co_buyers=(),
    signing_date: date | None = None,
    handover_date: date | None = None,
    commission_rate: Decimal | None = None,
    notes: str = "",
    terms: dict | None = None,
) -> SaleContract:
    """A draft contract, directly or from the unit's active reservation."""
    try:
        with transaction.atomic():
            locked = _lock_unit(unit)
            if reservation is not None:
                reservation = Reservation.objects.select_for_update().get(pk=reservation.pk)
                active = reservation.status == ReservationStatus.ACTIVE
                if reservation.unit_id != locked.pk or not active:
                    raise ValidationError(
                        _("Reservation %(number)s is not an active reservation of this unit.")
                        % {"number": reservation.number}
                    )
            elif locked.status != UnitStatus.AVAILABLE:
                raise ValidationError(
                    _("Unit %(code)s is %(status)s: it cannot be sold.")
                    % {"code": locked.code, "status": locked.get_status_display().lower()},
                    code="unit_unavailable",
                )
            contract = SaleContract(
                number=number_take("SC"),
                unit=locked,
                buyer=buyer,
                price=to_money(price),
                discount=to_money(discount or 0),
                plan=plan,
                reservation=reservation,
                agent=agent or default_agent(reservation.agent if reservation else locked.agent),
                signing_date=signing_date,
                currency=locked.currency,
                notes=notes,
                handover_date=handover_date or _project_handover(locked, signing_date),
                commission_rate=commission_rate,
            )
            source = terms or (
                {f: getattr(plan, f) for f in SaleContract.TERM_FIELDS} if plan else {}
            )
            for field, value in source.items():
                setattr(contract, field, value)
            contract.full_clean(exclude=["number", "net_price", "unit", "buyer"])
            contract_terms_check(contract=contract)
            if by is not None:
                contract._history_user = by
            contract.save()
            if co_buyers:
                contract.co_buyers.set(co_buyers)
    except IntegrityError as error:
        raise ValidationError(
            _("Unit %(code)s already has a contract that is not cancelled.") % {"code": unit.code},
            code="unit_unavailable",
        ) from error
    return contract


def _project_handover(unit: Unit, signing_date: date | None) -> date | None:
    """The project's handover date, for a contract on one of its units: only while it is
    still to come (a completed project has handed its units over already)."""
    project = unit.project if unit.project_id else None
    if project is None or project.status == ProjectStatus.COMPLETED:
        return None
    if project.handover_date and project.handover_date >= (signing_date or timezone.localdate()):
        return project.handover_date
    return None


#: The contract fields each check of ``contract_terms_check`` reads.
HANDOVER_DATE_FIELDS = {"handover_date", "signing_date"}
HANDOVER_PLAN_FIELDS = {"plan", "handover_percent"}


def contract_terms_check(*, contract: SaleContract, changed=None) -> None:
    """Refuse a contract whose dates or plan cannot hold for its unit:

    - a handover date before the signing date (before today while the draft has none);
    - a payment due on handover for a unit of a completed project, whose handover has passed
      (grace months count from signing, so a post-handover plan is fine).

    ``changed`` (the fields a draft's edit changed) limits the checks to those fields, so an
    old draft can still be edited; signing checks everything again.
    """
    errors = {}
    if changed is None or HANDOVER_DATE_FIELDS & set(changed):
        signing = contract.signing_date or timezone.localdate()
        if contract.handover_date and contract.handover_date < signing:
            errors["handover_date"] = (
                _("The handover date %(handover)s is before the signing date %(signing)s.")
                if contract.signing_date
                else _(
                    "The handover date %(handover)s is in the past: leave it empty for a unit "
                    "that has been handed over."
                )
            ) % {"handover": contract.handover_date, "signing": contract.signing_date}
    project = contract.unit.project if contract.unit.project_id else None
    completed = project is not None and project.status == ProjectStatus.COMPLETED
    if (
        completed
        and contract.handover_percent
        and (changed is None or HANDOVER_PLAN_FIELDS & set(changed))
    ):
        params = {
            "plan": contract.plan,
            "project": project,
            "percent": percent_text(contract.handover_percent),
        }
        if contract.plan_id:
            errors["plan"] = (
                _(
                    "Payment plan “%(plan)s” has %(percent)s%% due on handover, but project "
                    "“%(project)s” is completed: its units have been handed over. Choose a plan "
                    "without a handover payment."
                )
                % params
            )
        else:
            errors["handover_percent"] = (
                _(
                    "Project “%(project)s” is completed: its units have been handed over, so "
                    "nothing can fall due on handover (%(percent)s%% here). Set it to 0."
                )
                % params
            )
    if errors:
        raise ValidationError(errors)


@step(_lazy("Sign contract"), record="contract")
def contract_sign(*, contract: SaleContract, by=None, signing_date: date | None = None):
    """Sign: the unit becomes sold, the reservation converted, the instalment schedule and
    the agent's commission are created."""
    with transaction.atomic():
        locked = SaleContract.objects.select_for_update().get(pk=contract.pk)
        CONTRACT_FLOW.check(locked.status, ContractStatus.SIGNED)
        unit = _lock_unit(locked.unit)
        if locked.reservation_id:
            reservation = Reservation.objects.select_for_update().get(pk=locked.reservation_id)
            if reservation.status != ReservationStatus.ACTIVE:
                raise ValidationError(
                    _("Reservation %(number)s is %(status)s.")
                    % {
                        "number": reservation.number,
                        "status": reservation.get_status_display().lower(),
                    }
                )
            RESERVATION_FLOW.apply(
                reservation, ReservationStatus.CONVERTED, by, closed_at=timezone.now()
            )
        elif unit.status == UnitStatus.AVAILABLE:
            unit_status_change(unit=unit, status=UnitStatus.RESERVED, by=by, workflow=True)
            unit.refresh_from_db()
        elif (
            unit.status != UnitStatus.RESERVED
            or Reservation.objects.filter(unit=unit, status=ReservationStatus.ACTIVE).exists()
        ):
            raise ValidationError(
                _("Unit %(code)s is %(status)s: the contract cannot be signed.")
                % {"code": unit.code, "status": unit.get_status_display().lower()}
            )
        locked.signing_date = signing_date or locked.signing_date or timezone.localdate()
        contract_terms_check(contract=locked)
        unit_status_change(unit=unit, status=UnitStatus.SOLD, by=by, workflow=True)
        CONTRACT_FLOW.apply(locked, ContractStatus.SIGNED, by, signing_date=locked.signing_date)
        _schedule_create(locked)
        _commission_create(locked)
    contract.status, contract.signing_date = locked.status, locked.signing_date
    return locked


def _schedule_create(contract: SaleContract) -> None:
    rows = instalments_plan(
        net_price=contract.net_price,
        down_payment_percent=contract.down_payment_percent,
        instalment_count=contract.instalment_count,
        frequency=contract.frequency,
        handover_percent=contract.handover_percent,
        grace_months=contract.grace_months,
        signing_date=contract.signing_date,
        handover_date=contract.handover_date,
    )
    # A reservation's deposit is part of the price: it joins the schedule as its first line
    # and the earliest instalments shrink by as much, so the schedule still sums to the net
    # price and money already paid on the deposit stays where it is.
    credit = finance.deposit_join_schedule(contract=contract)
    sequence = 1 if credit else 0
    for row in rows:
        amount = row.amount
        if credit:
            taken = min(credit, amount)
            amount, credit = amount - taken, credit - taken
        if amount <= 0:
            continue
        sequence += 1
        finance.receivable_create(
            client=contract.buyer,
            kind=ReceivableKind.INSTALMENT,
            amount=amount,
            due_date=row.due_date,
            issue_date=contract.signing_date,
            currency=contract.currency,
            unit=contract.unit,
            contract=contract,
            sequence=sequence,
            description=f"{contract.number} {row.label}",
        )


def _commission_create(contract: SaleContract) -> Commission | None:
    if contract.agent_id is None:
        return None
    rate = contract.commission_rate
    if rate is None:
        profile = getattr(contract.agent, "agent_profile", None)
        rate = profile.commission_rate if profile else Decimal("0")
    return Commission.objects.create(
        contract=contract,
        agent=contract.agent,
        rate=rate,
        currency=contract.currency,
        amount=to_money(contract.net_price * rate / 100),
    )


@step(_lazy("Cancel contract"), record="contract")
def contract_cancel(*, contract: SaleContract, by=None, reason: str) -> SaleContract:
    """Cancel: the unit is free again, what is unpaid is voided, unpaid commission cancelled."""
    if not reason.strip():
        raise ValidationError({"cancel_reason": _("Say why the contract is cancelled.")})
    with transaction.atomic():
        locked = SaleContract.objects.select_for_update().get(pk=contract.pk)
        CONTRACT_FLOW.apply(locked, ContractStatus.CANCELLED, by, cancel_reason=reason)
        unit = _lock_unit(locked.unit)
        if locked.reservation_id and locked.reservation.status == ReservationStatus.ACTIVE:
            RESERVATION_FLOW.apply(
                locked.reservation,
                ReservationStatus.CANCELLED,
                by,
                closed_at=timezone.now(),
                cancel_reason=reason,
            )
        if unit.status in (UnitStatus.SOLD, UnitStatus.RESERVED):
            unit_status_change(unit=unit, status=UnitStatus.AVAILABLE, by=by, workflow=True)
        finance.receivables_void(
            Receivable.objects.filter(contract=locked), reason=f"Contract {locked.number} cancelled"
        )
        for commission in locked.commissions.select_for_update().exclude(
            status__in=(CommissionStatus.PAID, CommissionStatus.CANCELLED)
        ):
            COMMISSION_FLOW.apply(commission, CommissionStatus.CANCELLED, by)
    contract.status = locked.status
    return locked


@step(_lazy("Upload signed copy"), record="contract", also=("documents.add_document",))
def contract_signed_copy_attach(*, contract: SaleContract, file, by=None) -> SaleContract:
    """File the scan of the signed contract (checked as every upload) as its signed-contract
    document, a new version after the first, and mark it as the contract's signed copy."""
    if contract.status == ContractStatus.CANCELLED:
        raise ValidationError(_("Contract %(number)s is cancelled.") % {"number": contract})
    version = document_upload(
        record=contract,
        file=file,
        kind=DocumentKind.SIGNED_CONTRACT,
        title=_("Signed contract %(number)s") % {"number": contract.number},
        by=by,
    )
    contract.signed_document = version.document
    contract.save(update_fields=["signed_document", "updated_at"])
    return contract


def contracts_complete_paid(contract_ids) -> int:
    """Mark signed contracts whose every live receivable is paid as completed."""
    completed = 0
    for contract in SaleContract.objects.filter(
        pk__in=set(contract_ids), status=ContractStatus.SIGNED
    ):
        outstanding = Receivable.objects.filter(contract=contract, status__in=UNSETTLED)
        has_schedule = (
            Receivable.objects.filter(contract=contract)
            .exclude(status=ReceivableStatus.VOID)
            .exists()
        )
        if has_schedule and not outstanding.exists():
            CONTRACT_FLOW.apply(contract, ContractStatus.COMPLETED, None)
            completed += 1
    return completed


def _commission_agent(commission: Commission):
    return commission.agent_id


@step(
    _lazy("Approve commission"),
    record="commission",
    permission="sales.approve_commission",
    beneficiary=_commission_agent,
)
def commission_approve(*, commission: Commission, by=None) -> Commission:
    with transaction.atomic():
        locked = Commission.objects.select_for_update().get(pk=commission.pk)
        if locked.contract.status not in (ContractStatus.SIGNED, ContractStatus.COMPLETED):
            raise ValidationError(_("Only a commission on a signed contract can be approved."))
        COMMISSION_FLOW.apply(locked, CommissionStatus.APPROVED, by)
    return locked


@step(
    _lazy("Pay commission"),
    record="commission",
    permission="sales.pay_commission",
    beneficiary=_commission_agent,
)
def commission_pay(*, commission: Commission, by=None, paid_on: date | None = None):
    with transaction.atomic():
        locked = Commission.objects.select_for_update().get(pk=commission.pk)
        COMMISSION_FLOW.apply(
            locked, CommissionStatus.PAID, by, paid_on=paid_on or timezone.localdate()
        )
    return locked
