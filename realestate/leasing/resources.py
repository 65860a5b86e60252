"""CSV/XLSX import and export of vendors (keyed by name) and of leases (keyed by number)."""

import re
from datetime import date

from realestate.clients.models import Client
from realestate.core.importing.service_tables import ServiceTable
from realestate.core.importing.tables import Column, ImportTable, table_register
from realestate.leasing import services
from realestate.leasing.choices import LeaseStatus
from realestate.leasing.models import Lease, Vendor
from realestate.leasing.services.leases import LEASE_PREFIX, LEASE_TERM_FIELDS
from realestate.properties.models import Unit


@table_register
class VendorTable(ImportTable):
    model = Vendor
    key_field = "name"
    columns = [
        Column(
            "name",
            "Name",
            "The vendor's name, unique: a known name updates it.",
            "Aqua Fix LLC",
            required=True,
        ),
        Column("trade", "Trade", "One of the list.", "Plumbing"),
        Column("phone", "Phone", "", "+971 4 000 0000"),
        Column("email", "Email", "", "jobs@aquafix.example"),
    ]


# --- leases, made and activated through the leasing services --------------------------------

#: What an import may change on an active lease: nothing of its money or dates.
ACTIVE_CHANGEABLE = {"notes"}
#: The terms of a draft lease an import may change (``lease_update``).
DRAFT_CHANGEABLE = {*LEASE_TERM_FIELDS, "notes"} - {"currency"}
HOUSE_NUMBER = re.compile(rf"^{LEASE_PREFIX}-\d{{4}}-\d+$")


@table_register
class LeaseTable(ServiceTable):
    """Leases brought from a former system: each new row is made by ``lease_create`` and, but
    for a row marked Draft, activated by ``lease_activate`` (the unit becomes leased, the rent
    schedule is laid out and the deposit invoiced, as by the admin's Activate button).

    A known number is compared with its lease: an equal row is unchanged; a draft's terms
    change through ``lease_update``; a draft marked Active is activated. An active lease's
    money and dates never change by import (only its notes): that is a renewal or a change
    on the lease's page, where its effect on invoiced rent is shown."""

    model = Lease
    key_field = "number"
    select_related = ("unit", "tenant")
    error_columns = {"lease_overlap": "start_date", "unit_unavailable": "unit"}
    error_column = "number"
    columns = [
        Column(
            "number",
            "Lease number",
            "The lease's number in your former system, unique: a known number is compared "
            "with that lease. (LS-2026-00001 numbers are this product's own.)",
            "L-2024-117",
            required=True,
        ),
        Column("unit", "Unit", "The unit's code.", "MH-102", required=True, ref=(Unit, "code")),
        Column(
            "tenant",
            "Tenant ID number",
            "The tenant's identity document number, as on the client's record.",
            "784-1985-1234567-1",
            required=True,
            ref=(Client, "id_number"),
        ),
        Column("start_date", "Start", "YYYY-MM-DD.", "2024-03-01", required=True),
        Column("end_date", "End", "YYYY-MM-DD; empty for a periodic lease.", "2025-02-28"),
        Column("term_type", "Term", "One of the list (Fixed when empty).", "Fixed"),
        Column(
            "monthly_rent",
            "Monthly rent",
            "A number with a point for decimals; empty: the unit's listed rent.",
            "9500.00",
        ),
        Column("deposit_amount", "Deposit", "Invoiced when the lease is activated.", "9500.00"),
        Column("billing_frequency", "Billing", "One of the list (Monthly when empty).", "Monthly"),
        Column("billing_day", "Billing day", "Day of the month rent falls due, 1 to 28.", "1"),
        Column("escalation_percent", "Yearly escalation %", "0 to 100.", "5"),
        Column(
            "status",
            "Status",
            "Active (when empty): activated on import. Draft: kept as a draft.",
            "Active",
        ),
        Column("notes", "Notes", "Free text.", ""),
        Column("currency", "Currency", "Exported only: always the unit's.", readonly=True),
    ]

    def __init__(self, user=None):
        super().__init__(user)
        self.held: dict[int, list] = {}  # unit id: (start, end, row) of the file's new leases

    def wanted_status(self, row) -> str:
        """The status the row asks for: an empty cell (or no column) is Active."""
        return row.values["status"] if self.text(row, "status") else LeaseStatus.ACTIVE

    def check_new(self, row) -> None:
        header = self.column("number").header
        if HOUSE_NUMBER.match(row.key):
            row.error(
                header,
                row.key,
                f"No lease {row.key}: numbers like {LEASE_PREFIX}-2026-00001 are given by "
                "this product; give the number the lease had in your former system.",
            )
        if self.wanted_status(row) not in (LeaseStatus.DRAFT, LeaseStatus.ACTIVE):
            row.error(
                self.column("status").header,
                self.text(row, "status"),
                "A lease is imported as Draft or Active; end it on its page afterwards.",
            )
        if row.kind == "invalid":
            return
        unit, start = row.values["unit"], row.values["start_date"]
        end = row.values.get("end_date") or date.max
        for other_start, other_end, other_row in self.held.get(unit.pk, []):
            if other_start <= end and start <= other_end:
                row.error(
                    self.column("start_date").header,
                    self.text(row, "start_date"),
                    f"Unit {unit.code} is also let for these dates on row {other_row}.",
                )
                return

    def checked(self, row) -> None:
        if row.kind == "new":
            start, end = row.values["start_date"], row.values.get("end_date") or date.max
            self.held.setdefault(row.values["unit"].pk, []).append((start, end, row.number))

    def compare_existing(self, row, lease) -> None:
        key_header = self.column("number").header
        if not self.visible(lease):
            row.error(key_header, row.key, f"Lease {row.key} is one you may not see.")
            return
        values = row.values
        for name, code in (("unit", "code"), ("tenant", "id_number")):
            if name in values and values[name].pk != getattr(lease, f"{name}_id"):
                row.error(
                    self.column(name).header,
                    self.text(row, name),
                    f"Lease {lease.number} is of {getattr(lease, name)} "
                    f"({getattr(getattr(lease, name), code)}): an import does not move a "
                    "lease; end it and import a new one.",
                )
        wanted = self.wanted_status(row) if self.given("status") else lease.status
        if wanted != lease.status and not (
            lease.status == LeaseStatus.DRAFT and wanted == LeaseStatus.ACTIVE
        ):
            row.error(
                self.column("status").header,
                self.text(row, "status"),
                f"Lease {lease.number} is {lease.get_status_display().lower()}: an import "
                "only activates a draft; other moves are made on the lease's page.",
            )
        changeable = DRAFT_CHANGEABLE if lease.status == LeaseStatus.DRAFT else ACTIVE_CHANGEABLE
        if lease.status not in (LeaseStatus.DRAFT, LeaseStatus.ACTIVE):
            changeable = set()
        for name in DRAFT_CHANGEABLE & set(values):
            stored, given = getattr(lease, name), values[name]
            if name == "monthly_rent" and given is None:
                continue  # empty: the unit's listed rent, for a new lease only
            if stored == given:
                continue
            if name not in changeable:
                status = lease.get_status_display().lower()
                row.error(
                    self.column(name).header,
                    self.text(row, name),
                    f"Lease {lease.number} is {status}: its {self.column(name).header.lower()} "
                    f"({_shown(stored)}) is not changed by import. Change it on the lease's "
                    "page, or renew the lease.",
                )
                continue
            self.change(row, name, stored, given)
            row.before[name] = stored
        if row.kind != "invalid" and wanted != lease.status:
            self.change(
                row,
                "status",
                lease.status,
                wanted,
                lease.get_status_display(),
                LeaseStatus(wanted).label,
            )

    def write_row(self, row, job) -> None:
        values, by = row.values, job.user
        if row.kind == "new":
            terms = {
                name: values[name]
                for name in (
                    "term_type",
                    "billing_frequency",
                    "billing_day",
                    "deposit_amount",
                    "escalation_percent",
                )
                if values.get(name) is not None
            }
            lease = services.lease_create(
                unit=values["unit"],
                tenant=values["tenant"],
                start_date=values["start_date"],
                end_date=values.get("end_date"),
                monthly_rent=values.get("monthly_rent"),
                notes=values.get("notes") or "",
                number=row.key,
                by=by,
                **terms,
            )
        else:
            lease = row.instance
            if row.before:
                lease = services.lease_update(
                    lease=lease, by=by, **{name: values[name] for name in row.before}
                )
        if self.wanted_status(row) == LeaseStatus.ACTIVE and lease.status == LeaseStatus.DRAFT:
            services.lease_activate(lease=lease, by=by)


def _shown(value) -> str:
    return "" if value is None else str(value)
