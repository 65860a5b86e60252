"""Clients' import: keyed by their code, validated as the admin's form, personal data (the
"export personal data" permission), and within the importing user's scope."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from realestate.clients.models import Client
from tests.factories import ClientFactory
from tests.imports.conftest import confirm, upload, uploaded_job

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:clients_client_import")
EXPORT_URL = reverse("admin:clients_client_export")
TEMPLATE_URL = reverse("admin:clients_client_import_template")
HEADER = "Code,Name,Kind,Email,Phone,ID type,ID number,Agent\n"


def personal_data(user):
    user.user_permissions.add(Permission.objects.get(codename="export_personal_data"))
    return type(user).objects.get(pk=user.pk)  # a fresh permission cache


def snapshot():
    return list(Client.objects.order_by("pk").values())


@pytest.fixture
def people(agent1, agent2):
    return [
        ClientFactory(
            code="C-1",
            name="Layla Haddad",
            email="layla@example.com",
            phone="",
            id_type="passport",
            id_number="LB123",
            id_expiry=datetime.date(2030, 5, 31),
            nationality="Lebanese",
            agent=agent1,
            source="referral",
        ),
        ClientFactory(
            code="C-2", name='=HYPERLINK("http://evil")', phone="+971 50 1", agent=agent2
        ),
        ClientFactory(code="C-3", name="Gulf Trading LLC", kind="company", email="", phone="-12"),
    ]


def export(client, file_format="0") -> bytes:
    response = client.post(EXPORT_URL, {"format": file_format, "resource": "0"})
    assert response.status_code == 200, response.content[:500]
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(("file_format", "name"), [("0", "clients.csv"), ("1", "clients.xlsx")])
def test_export_then_import_changes_nothing(admin_client, people, file_format, name):
    exported = export(admin_client, file_format)
    before, history = snapshot(), Client.history.count()

    job = uploaded_job(admin_client, exported, url=IMPORT_URL, name=name)

    assert job.rows_invalid == 0, job.report
    assert (job.rows_new, job.rows_changed, job.rows_unchanged) == (0, 0, 3), job.report
    assert not job.can_confirm
    assert snapshot() == before and Client.history.count() == history


def test_export_names_records_by_codes_and_headers_are_human(admin_client, people):
    rows = list(csv.DictReader(io.StringIO(export(admin_client).decode("utf-8-sig"))))
    first = {row["Code"]: row for row in rows}["C-1"]
    assert first["Agent"] == "agent1" and first["ID type"] == "Passport"
    assert first["ID number"] == "LB123" and first["Nationality"] == "Lebanese"
    assert "id" not in rows[0]


def test_preview_counts_new_changed_unchanged_and_writes_only_those(admin_client, people):
    exported = export(admin_client).decode("utf-8-sig")
    lines = exported.splitlines()
    header = lines[0]
    c1 = next(line for line in lines if line.startswith("C-1,"))
    changed = c1.replace("Lebanese", "Canadian")
    extra = [line for line in lines[1:] if not line.startswith("C-1,")]
    new = ",".join(
        {
            "Code": "C-9",
            "Name": "Omar Said",
            "Email": "omar@example.com",
            "Source": "Website",
        }.get(h, "")
        for h in header.split(",")
    )
    content = "\n".join([header, changed, *extra, new]) + "\n"
    untouched = Client.objects.get(code="C-2").updated_at
    history = Client.history.count()

    job = uploaded_job(admin_client, content, url=IMPORT_URL)

    assert (job.rows_new, job.rows_changed, job.rows_unchanged, job.rows_invalid) == (1, 1, 2, 0)
    assert job.report["changed"] == [
        {"row": 2, "key": "C-1", "changes": {"Nationality": ["Lebanese", "Canadian"]}}
    ]
    confirm(admin_client, job)
    job.refresh_from_db()
    assert (job.status, job.rows_written) == ("done", 2)
    assert Client.objects.get(code="C-1").nationality == "Canadian"
    assert Client.objects.get(code="C-9").source == "website"
    assert Client.objects.get(code="C-2").updated_at == untouched
    assert Client.history.count() == history + 2  # the new and the changed row only


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        ("C-7,Ann,individual,not-an-email,,,,", "Email", "not-an-email", "valid email"),
        ("C-7,Ann,individual,,,,,", "", "", "email address or a phone number"),
        ("C-7,Ann,individual,a@example.com,,,X-1,", "ID type", "", "which document"),
        ("C-7,Ann,robot,a@example.com,,,,", "Kind", "robot", "not one of: Individual, Company"),
        ("C-7,Ann,,a@example.com,,,,nobody", "Agent", "nobody", "No user with username"),
        ("C-7,Ann,,a@example.com,,passport,LB123,", "ID number", "LB123", "Another client"),
        (",Ann,,a@example.com,,,,", "Code", "", "every row needs one"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_written(
    admin_client, people, row, column, value, message
):
    before = snapshot()

    job = uploaded_job(
        admin_client, HEADER + "C-8,Bo,,bo@example.com,,,,\n" + row + "\n", url=IMPORT_URL
    )

    assert (job.rows_new, job.rows_invalid) == (1, 1), job.report
    [error] = job.report["errors"]
    assert (error["row"], error["column"], error["value"]) == (3, column, value)
    assert message in error["message"]
    assert not job.can_confirm
    confirm(admin_client, job)
    assert snapshot() == before


def test_duplicates_in_the_file_name_both_rows(admin_client, people):
    content = (
        HEADER
        + "C-7,Ann,,ann@example.com,,passport,P-1,\n"
        + "C-8,Bo,,bo@example.com,,passport,P-1,\n"
        + "C-7,Ann again,,ann@example.com,,,,\n"
    )
    job = uploaded_job(admin_client, content, url=IMPORT_URL)

    messages = {(e["row"], e["column"]): e["message"] for e in job.report["errors"]}
    assert "also on row 2" in messages[(3, "ID number")]
    assert "“C-7” is also on row 2" in messages[(4, "Code")]
    assert job.rows_invalid == 2


def test_valid_rows_mode_writes_them_and_gives_back_the_rejected(admin_client, people):
    content = HEADER + "C-7,Ann,,ann@example.com,,,,\nC-8,=1+2,,,,,,\n"
    job = uploaded_job(admin_client, content, url=IMPORT_URL, mode="valid")
    assert (job.rows_new, job.rows_invalid) == (1, 1)

    confirm(admin_client, job)

    job.refresh_from_db()
    assert (job.status, job.rows_written) == ("done", 1)
    assert set(Client.objects.filter(code__in=["C-7", "C-8"]).values_list("code", flat=True)) == {
        "C-7"
    }
    response = admin_client.get(reverse("admin:core_importjob_file", args=[job.pk, "rejected"]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *rows = list(sheet.values)
    assert header[-2:] == ("Row", "Errors")
    assert [(row[0], row[1], row[-2]) for row in rows] == [("C-8", "=1+2", "3")]
    assert "email address or a phone number" in rows[0][-1]


def test_template_opens_with_drop_downs_and_notes(admin_client):
    response = admin_client.get(TEMPLATE_URL)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["Code", "Name", "Kind"]
    assert {"ID type", "ID number", "Nationality", "Agent"} <= set(headers)
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    for name in ("Kind", "ID type", "Source"):
        letter = openpyxl.utils.get_column_letter(headers.index(name) + 1)
        assert validations[f"{letter}2:{letter}10000"].type == "list"
    note = sheet.cell(row=1, column=headers.index("ID type") + 1).comment.text
    assert "Passport" in note
    lists = book["Lists"]
    assert "Trade licence" in [row[headers.index("ID type")] for row in lists.values]

    job = uploaded_job(
        admin_client,
        b"".join(admin_client.get(TEMPLATE_URL).streaming_content),
        url=IMPORT_URL,
        name="t.xlsx",
    )
    assert (job.rows_new, job.rows_invalid) == (1, 0), job.report


def test_importing_clients_needs_the_personal_data_permission(client, agent1):
    client.force_login(agent1)
    assert client.get(IMPORT_URL).status_code == 403
    assert client.get(TEMPLATE_URL).status_code == 403
    assert (
        upload(client, HEADER + "C-7,Ann,,ann@example.com,,,,\n", url=IMPORT_URL).status_code == 403
    )
    assert not Client.objects.filter(code="C-7").exists()

    client.force_login(personal_data(agent1))
    assert client.get(IMPORT_URL).status_code == 200
    assert client.get(TEMPLATE_URL).status_code == 200
    ClientFactory(agent=agent1)  # the list opens to an agent who has clients
    changelist = client.get(reverse("admin:clients_client_changelist")).content.decode()
    assert IMPORT_URL in changelist


def test_an_agent_imports_only_into_their_own_clients(client, people, agent1, agent2):
    client.force_login(personal_data(agent1))
    before = snapshot()
    content = (
        HEADER
        + "C-1,Layla Haddad,,layla@example.com,,passport,LB123,agent1\n"  # theirs: unchanged
        + "C-2,Taken over,,,+971 50 1,,,\n"  # agent2's
        + "C-20,For agent2,,x@example.com,,,,agent2\n"  # a new client given to another agent
    )
    job = uploaded_job(client, content, url=IMPORT_URL, mode="valid")

    errors = {e["row"]: e for e in job.report["errors"]}
    assert errors[3]["column"] == "Code"
    assert "you may not change" in errors[3]["message"]
    assert errors[4]["column"] == "Agent" and "agents you may assign" in errors[4]["message"]
    assert (job.rows_unchanged, job.rows_invalid) == (1, 2), job.report
    confirm(client, job)
    assert snapshot() == before


def test_an_agents_new_client_is_theirs(client, agent1):
    client.force_login(personal_data(agent1))
    job = uploaded_job(client, HEADER + "C-30,Nadia,,nadia@example.com,,,,\n", url=IMPORT_URL)
    assert job.rows_new == 1, job.report
    confirm(client, job)

    created = Client.objects.get(code="C-30")
    assert created.agent == agent1
    assert Client.objects.restrict(agent1, "change").filter(pk=created.pk).exists()


def test_clients_saved_without_a_code_are_numbered(db):
    first, second = ClientFactory(), ClientFactory()
    year = datetime.date.today().year
    assert first.code == f"CL-{year}-00001" and second.code == f"CL-{year}-00002"
