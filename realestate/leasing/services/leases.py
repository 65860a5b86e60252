"""Leases: drafted, changed, activated, renewed, ended and terminated; the nightly rollover.

Two draft/active leases of one unit may not overlap in time: the services check it while
holding the unit's row lock, and on PostgreSQL an exclusion constraint refuses it as well."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    Q,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from realestate.core.assignments import default_agent
from realestate.core.dates import add_months
from realestate.core.money import to_money
from realestate.core.numbering import number_take
from realestate.core.workflow import step
from realestate.documents.choices import DocumentKind
from realestate.documents.services import document_upload
from realestate.finance import services as finance
from realestate.finance.choices import ReceivableKind
from realestate.finance.models import Receivable
from realestate.leasing import signals
from realestate.leasing.choices import (
    HOLDING_STATUSES,
    LEASE_FLOW,
    LeaseStatus,
    TermType,
)
from realestate.leasing.models import Lease, RentCharge
from realestate.leasing.services.rent import rent_schedule_generate
from realestate.properties.choices import UnitStatus
from realestate.properties.models import Unit
from realestate.properties.services import unit_status_change

LEASE_PREFIX = "LS"

LEASE_TERM_FIELDS = (
    "start_date",
    "end_date",
    "term_type",
    "monthly_rent",
    "billing_frequency",
    "billing_day",
    "deposit_amount",
    "escalation_percent",
    "currency",
)


def _overlap_check(lease: Lease) -> None:
    end = lease.end_date or date.max
    clash = (
        Lease.objects.filter(
            unit_id=lease.unit_id, status__in=HOLDING_STATUSES, start_date__lte=end
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=lease.start_date))
        .exclude(pk=lease.pk)
        .first()
    )
    if clash is not None:
        raise ValidationError(
            _("Unit %(unit)s is already let from %(start)s to %(end)s under %(number)s.")
            % {
                "unit": lease.unit.code,
                "start": clash.start_date,
                "end": clash.end_date or _("open end"),
                "number": clash.number,
            },
            code="lease_overlap",
        )


@step(_lazy("Draft lease"), record="unit", permission="leasing.add_lease", log_on=None)
def lease_create(
    *,
    unit: Unit,
    tenant,
    start_date: date,
    monthly_rent: Decimal | None = None,
    by=None,
    end_date: date | None = None,
    agent=None,
    renewed_from: Lease | None = None,
    notes: str = "",
    number: str | None = None,
    **terms,
) -> Lease:
    """A draft lease. It holds the unit for its dates: another lease cannot overlap it.
    Without ``monthly_rent`` the lease takes the unit's listed rent; the currency is always
    the unit's. ``number``: a lease brought from a former system keeps its number there
    (the migration import); otherwise the next ``LS-`` number."""
    try:
        with transaction.atomic():
            locked_unit = Unit.objects.select_for_update().get(pk=unit.pk)
            if monthly_rent is None:
                monthly_rent = locked_unit.monthly_rent
            if monthly_rent is None:
                raise ValidationError(
                    {
                        "monthly_rent": ValidationError(
                            _("Give the monthly rent: unit %(unit)s has no listed rent.")
                            % {"unit": locked_unit.code},
                            code="rent_required",
                        )
                    }
                )
            lease = Lease(
                unit=locked_unit,
                tenant=tenant,
                start_date=start_date,
                end_date=end_date,
                monthly_rent=to_money(monthly_rent),
                agent=agent or default_agent(locked_unit.agent),
                renewed_from=renewed_from,
                currency=locked_unit.currency,
                notes=notes,
                **terms,
            )
            lease.full_clean(exclude=["number", "unit", "tenant", "renewed_from"])
            _overlap_check(lease)
            if number and Lease.objects.filter(number=number).exists():
                raise ValidationError(
                    {"number": _("Lease number %(number)s is taken.") % {"number": number}}
                )
            lease.number = number or number_take(LEASE_PREFIX)
            if by is not None:
                lease._history_user = by
            lease.save()
    except IntegrityError as error:
        raise ValidationError(
            _("Unit %(unit)s is already let for these dates.") % {"unit": unit.code},
            code="lease_overlap",
        ) from error
    return lease


@step(_lazy("Change lease terms"), record="lease", log_on=None)
def lease_update(*, lease: Lease, by=None, **changes) -> Lease:
    """Change a lease's terms. Periods already invoiced stay as they were; the unbilled
    rest of the schedule is laid out again from the new terms."""
    try:
        with transaction.atomic():
            Unit.objects.select_for_update().get(pk=lease.unit_id)
            locked = Lease.objects.select_for_update().get(pk=lease.pk)
            if locked.status not in HOLDING_STATUSES:
                raise ValidationError(_("An ended or terminated lease cannot change."))
            for field, value in changes.items():
                setattr(locked, field, value)
            locked.full_clean(exclude=["number", "unit", "tenant", "renewed_from"])
            _overlap_check(locked)
            if by is not None:
                locked._history_user = by
            locked.save()
            if locked.status == LeaseStatus.ACTIVE:
                rent_schedule_generate(lease=locked)
    except IntegrityError as error:
        raise ValidationError(
            _("Unit %(unit)s is already let for these dates.") % {"unit": lease.unit.code},
            code="lease_overlap",
        ) from error
    return locked


@step(_lazy("Activate lease"), record="lease")
def lease_activate(*, lease: Lease, by=None) -> Lease:
    """Start a lease: the unit becomes leased (or stays leased for a renewal), the rent
    schedule is laid out and the deposit is charged. A renewal's tenant and leasing manager
    are told it is renewed."""
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=lease.unit_id)
        locked = Lease.objects.select_for_update().get(pk=lease.pk)
        LEASE_FLOW.check(locked.status, LeaseStatus.ACTIVE)
        _overlap_check(locked)
        renewing = (
            locked.renewed_from_id
            and unit.status == UnitStatus.LEASED
            and locked.renewed_from.status == LeaseStatus.ACTIVE
        )
        if not renewing:
            if unit.status != UnitStatus.AVAILABLE:
                raise ValidationError(
                    _("Unit %(code)s is %(status)s: the lease cannot start.")
                    % {"code": unit.code, "status": unit.get_status_display().lower()},
                    code="unit_unavailable",
                )
            unit_status_change(unit=unit, status=UnitStatus.LEASED, by=by, workflow=True)
        LEASE_FLOW.apply(locked, LeaseStatus.ACTIVE, by)
        rent_schedule_generate(lease=locked)
        if locked.deposit_amount > 0:
            finance.receivable_create(
                client=locked.tenant,
                kind=ReceivableKind.DEPOSIT,
                amount=locked.deposit_amount,
                due_date=locked.start_date,
                currency=locked.currency,
                unit=unit,
                lease=locked,
                description=f"Security deposit {locked.number} – {unit.code}",
            )
        if locked.renewed_from_id:
            # The renewal takes effect: its terms are final now (a draft may still change).
            signals.lease_renewed.send(sender=Lease, lease=locked)
    lease.status = locked.status
    return locked


def _lease_close(lease: Lease, status: str, by, on: date, reason: str = "") -> Lease:
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=lease.unit_id)
        locked = Lease.objects.select_for_update().get(pk=lease.pk)
        if on < locked.start_date:
            raise ValidationError(_("A lease cannot end before it starts."))
        LEASE_FLOW.apply(locked, status, by, ended_on=on, termination_reason=reason)
        # Nothing is billed for time after the lease ended: unbilled periods go, and unpaid
        # invoices for periods that start after the end are voided.
        RentCharge.objects.filter(
            lease=locked, period_start__gt=on, receivable__isnull=True
        ).delete()
        finance.receivables_void(
            Receivable.objects.filter(
                lease=locked,
                kind=ReceivableKind.RENT,
                rent_charge__period_start__gt=on,
                amount_paid=0,
            ),
            reason=f"Lease {locked.number} {status} on {on}",
        )
        still_let = Lease.objects.filter(unit=unit, status=LeaseStatus.ACTIVE).exists()
        if unit.status == UnitStatus.LEASED and not still_let:
            unit_status_change(unit=unit, status=UnitStatus.AVAILABLE, by=by, workflow=True)
    lease.status = locked.status
    return locked


@step(_lazy("End lease"), record="lease")
def lease_end(*, lease: Lease, by=None, on: date | None = None) -> Lease:
    return _lease_close(lease, LeaseStatus.ENDED, by, on or lease.end_date or timezone.localdate())


@step(_lazy("Terminate lease"), record="lease")
def lease_terminate(*, lease: Lease, by=None, reason: str, on: date | None = None) -> Lease:
    if not reason.strip():
        raise ValidationError({"termination_reason": _("Say why the lease is terminated.")})
    if lease.status == LeaseStatus.DRAFT:
        with transaction.atomic():
            locked = Lease.objects.select_for_update().get(pk=lease.pk)
            LEASE_FLOW.apply(
                locked,
                LeaseStatus.TERMINATED,
                by,
                ended_on=on or timezone.localdate(),
                termination_reason=reason,
            )
        lease.status = locked.status
        return locked
    return _lease_close(lease, LeaseStatus.TERMINATED, by, on or timezone.localdate(), reason)


@step(_lazy("Renew lease"), record="lease")
def lease_renew(
    *,
    lease: Lease,
    by=None,
    start_date: date | None = None,
    end_date: date | None = None,
    monthly_rent: Decimal | None = None,
) -> Lease:
    """A draft renewal linked to ``lease``: same terms, starting the day after it ends, for
    the same length, with the yearly escalation applied to the rent."""
    if lease.renewal_exists():
        raise ValidationError(
            _("Lease %(number)s has already been renewed.") % {"number": lease.number}
        )
    if lease.status not in (LeaseStatus.ACTIVE, LeaseStatus.ENDED):
        raise ValidationError(_("Only an active or ended lease can be renewed."))
    if start_date is None:
        if lease.end_date is None:
            raise ValidationError({"start_date": _("Give the renewal's start date.")})
        start_date = lease.end_date + timedelta(days=1)
    if end_date is None and lease.end_date is not None:
        # The lease's length in months, counted to the day after it ends (1 Jan–31 Dec is 12).
        after = lease.end_date + timedelta(days=1)
        months = (after.year - lease.start_date.year) * 12 + (
            after.month - lease.start_date.month
        ) or 12
        end_date = add_months(start_date, months) - timedelta(days=1)
    if monthly_rent is None:
        monthly_rent = to_money(lease.monthly_rent * (1 + lease.escalation_percent / 100))
    terms = {
        field: getattr(lease, field)
        for field in ("term_type", "billing_frequency", "billing_day", "escalation_percent")
    }
    # The security deposit stays held on the original lease: a renewal does not charge it
    # again (staff can still set one on the draft).
    terms["deposit_amount"] = Decimal("0")
    return lease_create(
        unit=lease.unit,
        tenant=lease.tenant,
        start_date=start_date,
        end_date=end_date,
        monthly_rent=monthly_rent,
        by=by,
        agent=default_agent(lease.agent),
        renewed_from=lease,
        notes=f"Renewal of {lease.number}",
        **terms,
    )


def leases_expire(today: date | None = None) -> dict:
    """Nightly: fixed leases past their end are ended (a renewal takes over the unit);
    rolling leases continue month to month. Running twice changes nothing more."""
    today = today or timezone.localdate()
    result = {"ended": 0, "rolled_over": 0}
    due = Lease.objects.filter(status=LeaseStatus.ACTIVE, end_date__lt=today)
    for lease in due.select_related("unit"):
        if lease.term_type == TermType.ROLLOVER and not lease.renewal_exists():
            lease_update(lease=lease, end_date=None, term_type=TermType.PERIODIC)
            result["rolled_over"] += 1
            continue
        _lease_close(lease, LeaseStatus.ENDED, None, lease.end_date)
        renewal = Lease.objects.filter(renewed_from=lease, status=LeaseStatus.DRAFT).first()
        if renewal and renewal.start_date <= today:
            lease_activate(lease=renewal)
        result["ended"] += 1
    return result


@step(_lazy("Upload signed copy"), record="lease", also=("documents.add_document",))
def lease_signed_copy_attach(*, lease: Lease, file, by=None) -> Lease:
    """File the scan of the signed lease (checked as every upload) as its signed-contract
    document, a new version after the first, and mark it as the lease's signed copy."""
    if lease.status == LeaseStatus.TERMINATED:
        raise ValidationError(_("Lease %(number)s is terminated.") % {"number": lease})
    version = document_upload(
        record=lease,
        file=file,
        kind=DocumentKind.SIGNED_CONTRACT,
        title=_("Signed lease %(number)s") % {"number": lease.number},
        by=by,
    )
    lease.signed_document = version.document
    lease.save(update_fields=["signed_document", "updated_at"])
    return lease
