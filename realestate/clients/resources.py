"""CSV/XLSX import and export of clients and leads.

Clients are personal data: importing and exporting them needs the "export personal data"
permission besides the list's own (``core.admin.ExportPermissionMixin``, ``ImportAdminMixin``).
Both are keyed by their code (``CL-2026-00017``, ``LD-2026-00017``, or the codes of the system
the company moves from), name their agent by username, and stay within the importing user's
scope: rows for records they may not change are errors, and a new record an agent imports
without an agent is theirs, as ``client_create`` and ``lead_create`` make it.
"""

from django.contrib.auth import get_user_model

from realestate.clients import services
from realestate.clients.choices import LEAD_STATUS_FLOW, LeadStatus
from realestate.clients.models import Client, Lead
from realestate.core.assignments import is_active_agent
from realestate.core.importing.tables import Column, ImportTable, table_register
from realestate.properties.models import Project, Unit

AGENT_NOTE = "The username of an active sales agent; empty: you, if you are an agent."


class OwnNewRecordsMixin:
    """A new row without an agent, imported by an agent, is assigned to them (as the services
    do); then the agent checks of ``ImportTable`` apply to every row."""

    def extra_checks(self, rows: list) -> None:
        unassigned = [row for row in rows if row.kind == "new" and row.instance.agent_id is None]
        if unassigned and self.user is not None and is_active_agent(self.user):
            for row in unassigned:
                row.instance.agent = self.user
        super().extra_checks(rows)


@table_register
class ClientTable(OwnNewRecordsMixin, ImportTable):
    """Clients as the importer, the exports and the XLSX template see them."""

    model = Client
    key_field = "code"
    select_related = ("agent",)
    columns = [
        Column(
            "code",
            "Code",
            "The client's code, unique: a known code updates that client.",
            "CL-2026-00017",
            required=True,
        ),
        Column("name", "Name", "Full name, or the company's name.", "Layla Haddad", required=True),
        Column("kind", "Kind", "Individual or Company.", "Individual"),
        Column("email", "Email", "An email address; or give a phone.", "layla@example.com"),
        Column("phone", "Phone", "With the country code; or give an email.", "+971 50 123 4567"),
        Column("nationality", "Nationality", "", "Lebanese"),
        Column("address", "Address", "", "Dubai Marina, Dubai"),
        Column("id_type", "ID type", "Which document the ID number is of.", "Passport"),
        Column("id_number", "ID number", "Unique per document type.", "LB1234567"),
        Column("id_expiry", "ID expiry", "YYYY-MM-DD.", "2030-05-31"),
        Column("source", "Source", "How the client came to you.", "Referral"),
        Column("agent", "Agent", AGENT_NOTE, "", ref=(get_user_model(), "username")),
        Column(
            "management_fee_percent",
            "Management fee %",
            "For owners: the fee on rent collected; empty: the company default.",
            "",
        ),
        Column("notes", "Notes", "Free text.", ""),
    ]

    def __init__(self, user=None):
        super().__init__(user)
        #: (document type, number) → file row, across the chunks of one pass.
        self._documents: dict[tuple[str, str], tuple[int, str]] = {}

    def extra_checks(self, rows: list) -> None:
        super().extra_checks(rows)
        self._documents_unique([row for row in rows if row.kind != "invalid"])

    def _documents_unique(self, rows: list) -> None:
        """The identity document is unique (``client_identity_document_unique``): checked here
        in bulk, against the file's other rows and the stored clients, naming both."""
        header = self.column("id_number").header
        wanted = {}
        for row in rows:
            instance = row.instance
            if not instance.id_number:
                continue
            document = (instance.id_type, instance.id_number)
            earlier = self._documents.get(document)
            if earlier is not None and earlier[1] != row.key:
                row.error(
                    header,
                    instance.id_number,
                    f"This identity document is also on row {earlier[0]}: one client each.",
                )
                continue
            self._documents[document] = (row.number, row.key)
            wanted[document] = row
        if not wanted:
            return
        numbers = {number for _, number in wanted}
        stored = Client.objects.filter(id_number__in=numbers).values_list(
            "id_type", "id_number", "code"
        )
        for id_type, id_number, code in stored:
            row = wanted.get((id_type, id_number))
            if row is not None and code != row.key:
                row.error(header, id_number, "Another client has this identity document.")


@table_register
class LeadTable(OwnNewRecordsMixin, ImportTable):
    """Leads: the client by its code, the unit and project by theirs. A new lead starts at
    New, as ``lead_create`` makes it; a status other than the stored one is a move along the
    pipeline, made by ``lead_status_change`` after the row is written (one step of the flow
    per import: from New, to Contacted or Lost; to Lost with a reason)."""

    model = Lead
    key_field = "code"
    select_related = ("client", "unit", "project", "agent")
    checked_fields = ("status",)
    columns = [
        Column(
            "code",
            "Code",
            "The lead's code, unique: a known code updates that lead.",
            "LD-2026-00042",
            required=True,
        ),
        Column(
            "client",
            "Client",
            "The client's code.",
            "CL-2026-00017",
            required=True,
            ref=(Client, "code"),
        ),
        Column(
            "status",
            "Status",
            "Empty keeps it. A new lead starts at New; a change is one step of the "
            "pipeline (New → Contacted → Qualified → Viewing → Negotiation → Won, or Lost).",
            "New",
        ),
        Column("lost_reason", "Lost reason", "Needed to move a lead to Lost.", ""),
        Column(
            "unit", "Unit", "The unit's code, if the lead is about one.", "", ref=(Unit, "code")
        ),
        Column(
            "project",
            "Project",
            "The project's code, if the lead is about one.",
            "",
            ref=(Project, "code"),
        ),
        Column("unit_type", "Wanted type", "One of the list; empty: any.", "Apartment"),
        Column("bedrooms", "Bedrooms", "A whole number.", "2"),
        Column("budget_min", "Budget from", "An amount, 0 or more.", "1200000"),
        Column("budget_max", "Budget to", "Not below the budget from.", "1800000"),
        Column("agent", "Agent", AGENT_NOTE, "", ref=(get_user_model(), "username")),
        Column("source", "Source", "How the lead came in.", "Website"),
        Column("next_follow_up", "Next follow-up", "YYYY-MM-DD.", "2026-12-15"),
        Column("notes", "Notes", "Free text.", ""),
    ]

    def __init__(self, user=None):
        super().__init__(user)
        #: File row → (status, lost reason) the row moves its lead to, once written.
        self._moves: dict[int, tuple[str, str]] = {}

    def parse(self, column: Column, text: str):
        if column.name == "status" and text == "":
            return None  # keeps the stored status (a new lead's: New)
        return super().parse(column, text)

    def extra_checks(self, rows: list) -> None:
        super().extra_checks(rows)
        for row in rows:
            if row.kind != "invalid":
                self._check_move(row)

    def _check_move(self, row) -> None:
        instance = row.instance
        new = row.kind == "new"
        current = LeadStatus.NEW if new else row.before.get("status", instance.status)
        stored_reason = "" if new else row.before.get("lost_reason", instance.lost_reason)
        target = instance.status or current
        instance.status = target
        status_header = self.column("status").header
        reason_header = self.column("lost_reason").header
        if target == current:
            if instance.lost_reason != stored_reason:
                row.error(
                    reason_header,
                    instance.get_lost_reason_display(),
                    "The lost reason is set by moving the lead to Lost, and only then.",
                )
            return
        if not LEAD_STATUS_FLOW.can(current, target):
            allowed = sorted(LEAD_STATUS_FLOW.allowed(current), key=LeadStatus.values.index)
            labels = dict(LeadStatus.choices)
            onward = " or ".join(str(labels[s]) for s in allowed) or "nowhere"
            start = "A new lead starts at New" if new else f"This lead is {labels[current]}"
            row.error(
                status_header,
                str(labels[target]),
                f"{start}: from there it moves to {onward}, one step per import.",
            )
            return
        if target == LeadStatus.LOST and not instance.lost_reason:
            row.error(reason_header, "", "Say why the lead was lost.")
            return
        refusal = self._move_refusal(instance, new)
        if refusal:
            row.error(status_header, str(instance.get_status_display()), refusal)
            return
        reason = instance.lost_reason if target == LeadStatus.LOST else ""
        self._moves[row.number] = (target, reason)

    def _move_refusal(self, lead, new: bool) -> str:
        """Why the importing user may not move this lead (the service's own rule)."""
        user = self.user
        if user is None:
            return ""
        if not new:
            refusal = services.lead_status_change.rule.refusal(user, lead)
            return str(refusal) if refusal else ""
        # A new lead is within the user's grants once written if they may change every
        # lead, or its agent is one they may assign records to (themselves, their branch's).
        if user.has_perm("clients.change_lead"):
            return ""
        users = get_user_model()._default_manager
        if lead.agent_id and users.assignable_by(user).filter(pk=lead.agent_id).exists():
            return ""
        return "You could not move this lead on once it is written: give it an agent of yours."

    def write(self, rows: list, job) -> int:
        """The rows' fields in bulk (at their stored status), then each move by the service."""
        moves, to_write = [], []
        for row in rows:
            move = self._moves.pop(row.number, None)
            if move is None:
                to_write.append(row)
                continue
            instance = row.instance
            if row.kind == "new":
                instance.status, instance.lost_reason = LeadStatus.NEW, ""
                to_write.append(row)
            else:
                instance.status = row.before.get("status", instance.status)
                instance.lost_reason = row.before.get("lost_reason", instance.lost_reason)
                if any(
                    before != self.compare_value(instance, self.column(name))
                    for name, before in row.before.items()
                ):
                    to_write.append(row)
            moves.append((row, move))
        if to_write:
            super().write(to_write, job)
        for row, (status, reason) in moves:
            services.lead_status_change(
                lead=row.instance, status=status, by=job.user, lost_reason=reason
            )
        return len(rows)
