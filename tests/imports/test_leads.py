"""Leads' import: the client by its code, the unit by its code, the status moved along the
pipeline by ``lead_status_change`` (never written straight), within the user's scope."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from realestate.clients.models import Lead
from tests.factories import ClientFactory, LeadFactory, UnitFactory
from tests.imports.conftest import confirm, upload, uploaded_job

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:clients_lead_import")
EXPORT_URL = reverse("admin:clients_lead_export")
TEMPLATE_URL = reverse("admin:clients_lead_import_template")
HEADER = "Code,Client,Status,Lost reason,Unit,Budget from,Budget to,Agent\n"


def snapshot():
    return list(Lead.objects.order_by("pk").values())


@pytest.fixture
def pipeline(agent1, agent2):
    own = ClientFactory(code="C-1", agent=agent1)
    other = ClientFactory(code="C-2", agent=agent2)
    UnitFactory(code="MH-101")
    LeadFactory(
        code="L-1",
        client=own,
        budget_min=Decimal("1000000.00"),
        budget_max=Decimal("1500000.00"),
        next_follow_up=datetime.date(2026, 12, 15),
        source="website",
        notes="=1+1",
    )
    LeadFactory(code="L-2", client=other, status="qualified")
    LeadFactory(code="L-3", client=other, status="lost", lost_reason="price")
    return own, other


def export(client, file_format="0") -> bytes:
    response = client.post(EXPORT_URL, {"format": file_format, "resource": "0"})
    assert response.status_code == 200, response.content[:500]
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(("file_format", "name"), [("0", "leads.csv"), ("1", "leads.xlsx")])
def test_export_then_import_changes_nothing(admin_client, pipeline, file_format, name):
    exported = export(admin_client, file_format)
    before, history = snapshot(), Lead.history.count()

    job = uploaded_job(admin_client, exported, url=IMPORT_URL, name=name)

    assert job.rows_invalid == 0, job.report
    assert (job.rows_new, job.rows_changed, job.rows_unchanged) == (0, 0, 3), job.report
    assert snapshot() == before and Lead.history.count() == history


def test_new_leads_start_at_new_and_move_through_the_service(admin_client, pipeline):
    content = (
        HEADER
        + "L-10,C-1,,,MH-101,900000,1200000,agent1\n"
        + "L-11,C-2,Contacted,,,,,agent2\n"
        + "L-12,C-2,Lost,No response,,,,\n"
    )
    job = uploaded_job(admin_client, content, url=IMPORT_URL)
    assert (job.rows_new, job.rows_invalid) == (3, 0), job.report

    confirm(admin_client, job)

    job.refresh_from_db()
    assert (job.status, job.rows_written) == ("done", 3), job.message
    first = Lead.objects.get(code="L-10")
    assert (first.status, first.unit.code, first.client.code) == ("new", "MH-101", "C-1")
    assert first.budget_max == Decimal("1200000")
    assert Lead.objects.get(code="L-11").status == "contacted"
    lost = Lead.objects.get(code="L-12")
    assert (lost.status, lost.lost_reason) == ("lost", "no_response")
    # The moves are the pipeline's own steps: each has its history row and audit line.
    assert list(
        Lead.history.filter(code="L-11").order_by("history_id").values_list("status", flat=True)
    ) == ["new", "contacted"]
    assert LogEntry.objects.filter(object_id=str(lost.pk), change_message__contains="Move").exists()


def test_a_status_change_is_a_move_of_the_pipeline(admin_client, pipeline):
    history = Lead.history.filter(code="L-2").count()
    content = (
        HEADER + "L-2,C-2,Negotiation,,,,,agent2\nL-3,C-2,Contacted,Price too high,,,,agent2\n"
    )

    job = uploaded_job(admin_client, content, url=IMPORT_URL)

    assert (job.rows_changed, job.rows_invalid) == (2, 0), job.report
    changes = {row["key"]: row["changes"] for row in job.report["changed"]}
    assert changes["L-2"] == {"Status": ["Qualified", "Negotiation"]}
    confirm(admin_client, job)
    assert Lead.objects.get(code="L-2").status == "negotiation"
    reopened = Lead.objects.get(code="L-3")
    assert (reopened.status, reopened.lost_reason) == ("contacted", "")
    # Only the move wrote L-2 (its service's save): no bulk row besides.
    assert Lead.history.filter(code="L-2").count() == history + 1


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        ("L-10,C-1,Won,,,,,", "Status", "Won", "A new lead starts at New"),
        ("L-2,C-2,Won,,,,,agent2", "Status", "Won", "This lead is Qualified"),
        ("L-2,C-2,Lost,,,,,agent2", "Lost reason", "", "Say why the lead was lost"),
        ("L-1,C-1,New,Price too high,,,,agent1", "Lost reason", "Price too high", "only then"),
        ("L-10,C-1,,,,2000000,1000000,", "Budget to", "1000000", "below its lower end"),
        ("L-10,C-1,,,,-5,,", "Budget from", "-5", "greater than or equal to 0"),
        ("L-10,C-404,,,,,,", "Client", "C-404", "No client with code “C-404”"),
        ("L-10,C-1,,,NOPE,,,", "Unit", "NOPE", "No unit with code “NOPE”"),
        ("L-10,C-1,Sideways,,,,,", "Status", "Sideways", "not one of: New, Contacted"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_written(
    admin_client, pipeline, row, column, value, message
):
    before = snapshot()

    job = uploaded_job(admin_client, HEADER + "L-20,C-1,,,,,,\n" + row + "\n", url=IMPORT_URL)

    assert (job.rows_new, job.rows_invalid) == (1, 1), job.report
    [error] = job.report["errors"]
    assert (error["row"], error["column"], error["value"]) == (3, column, value)
    assert message in error["message"]
    confirm(admin_client, job)
    assert snapshot() == before


def test_duplicate_codes_name_both_rows(admin_client, pipeline):
    job = uploaded_job(admin_client, HEADER + "L-20,C-1,,,,,,\nL-20,C-1,,,,,,\n", url=IMPORT_URL)
    [error] = job.report["errors"]
    assert error["row"] == 3 and "“L-20” is also on row 2" in error["message"]


def test_valid_rows_mode_writes_them_and_gives_back_the_rejected(admin_client, pipeline):
    content = HEADER + "L-20,C-1,Contacted,,,,,\nL-21,C-1,Won,,,,,\n"
    job = uploaded_job(admin_client, content, url=IMPORT_URL, mode="valid")
    assert (job.rows_new, job.rows_invalid) == (1, 1)

    confirm(admin_client, job)

    assert Lead.objects.get(code="L-20").status == "contacted"
    assert not Lead.objects.filter(code="L-21").exists()
    response = admin_client.get(reverse("admin:core_importjob_file", args=[job.pk, "rejected"]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    _header, *rows = list(sheet.values)
    assert [(row[0], row[-2]) for row in rows] == [("L-21", "3")]
    assert "A new lead starts at New" in rows[0][-1]


def test_template_opens_with_drop_downs(admin_client):
    response = admin_client.get(TEMPLATE_URL)
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:4] == ["Code", "Client", "Status", "Lost reason"]
    validations = {str(v.sqref) for v in sheet.data_validations.dataValidation}
    for name in ("Status", "Lost reason", "Wanted type", "Source"):
        letter = openpyxl.utils.get_column_letter(headers.index(name) + 1)
        assert f"{letter}2:{letter}10000" in validations
    assert "pipeline" in sheet.cell(row=1, column=3).comment.text


def test_an_agent_imports_only_into_their_own_clients_and_leads(client, pipeline, agent1):
    client.force_login(agent1)
    assert client.get(IMPORT_URL).status_code == 200  # leads: the add permission is enough
    before = snapshot()
    content = (
        HEADER
        + "L-30,C-2,,,,,,\n"  # agent2's client: not one they may see
        + "L-2,C-1,,,,,,agent1\n"  # agent2's lead
        + "L-31,C-1,,,,,,agent2\n"  # given to another agent
    )

    job = uploaded_job(client, content, url=IMPORT_URL)

    errors = {e["row"]: e for e in job.report["errors"]}
    assert errors[2]["column"] == "Client" and "not one you may see" in errors[2]["message"]
    assert errors[3]["column"] == "Code" and "may not change" in errors[3]["message"]
    assert errors[4]["column"] == "Agent"
    confirm(client, job)
    assert snapshot() == before

    job = uploaded_job(client, HEADER + "L-32,C-1,Contacted,,,,,\n", url=IMPORT_URL)
    assert job.rows_new == 1, job.report
    confirm(client, job)
    lead = Lead.objects.get(code="L-32")
    assert (lead.agent, lead.status) == (agent1, "contacted")


def test_a_user_without_the_add_permission_cannot_import(client, pipeline, roles):
    from tests.factories import UserFactory

    auditor = UserFactory(username="auditor", roles=["Auditor"])
    client.force_login(auditor)
    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client, HEADER + "L-40,C-1,,,,,,\n", url=IMPORT_URL).status_code == 403
    assert not Lead.objects.filter(code="L-40").exists()
