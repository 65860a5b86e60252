"""The XLSX template; grants following imported agents; large files as background jobs whose
progress moves while they run."""

import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django_q.models import OrmQ

from realestate.core.importing import engine, jobs
from realestate.core.models import ImportJob
from realestate.properties.models import Unit
from tests.factories import UserFactory
from tests.imports.conftest import confirm, uploaded_job

pytestmark = pytest.mark.django_db

TEMPLATE_URL = reverse("admin:properties_unit_import_template")


def test_template_has_headers_example_drop_downs_and_notes(admin_client, inventory):
    response = admin_client.get(TEMPLATE_URL)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:4] == ["Code", "Project", "Building", "Unit type"]
    assert "Area (m²)" in headers and "Status" not in headers  # status is not imported
    example = {h: c.value for h, c in zip(headers, sheet[2], strict=True)}
    assert example["Code"] == "MH-1204" and example["Unit type"] == "Apartment"
    comment = sheet.cell(row=1, column=headers.index("Unit type") + 1).comment
    assert "One of: Apartment" in comment.text
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    letter = openpyxl.utils.get_column_letter(headers.index("Unit type") + 1)
    unit_type = validations[f"{letter}2:{letter}10000"]
    assert unit_type.type == "list" and unit_type.formula1.startswith("=Lists!")
    lists = book["Lists"]
    assert "Villa" in [row[headers.index("Unit type")] for row in lists.values]


def test_template_imports_as_it_is(admin_client, inventory):
    content = b"".join(admin_client.get(TEMPLATE_URL).streaming_content)
    job = uploaded_job(admin_client, content, name="template.xlsx")
    assert (job.rows_new, job.rows_invalid) == (1, 0), job.report


def test_agents_receive_grants_and_non_agents_are_refused(admin_client, inventory, agent1, agent2):
    header = "Code,Unit type,Area (m²),List price,Agent\n"
    job = uploaded_job(admin_client, header + "AG-1,villa,300,1,agent1\nAG-2,villa,300,1,agent2\n")
    confirm(admin_client, job)
    assert set(Unit.objects.restrict(agent1, "view").values_list("code", flat=True)) == {"AG-1"}

    job = uploaded_job(admin_client, header + "AG-1,villa,300,1,agent2\n")
    assert job.report["changed"][0]["changes"] == {"Agent": ["agent1", "agent2"]}
    confirm(admin_client, job)
    assert not Unit.objects.restrict(agent1, "view").exists()
    assert set(Unit.objects.restrict(agent2, "view").values_list("code", flat=True)) == {
        "AG-1",
        "AG-2",
    }

    UserFactory(username="clerk")
    job = uploaded_job(admin_client, header + "AG-3,villa,300,1,clerk\n")
    [error] = job.report["errors"]
    assert (error["row"], error["column"], error["value"]) == (2, "Agent", "clerk")
    assert "is not an active sales agent" in error["message"]


def rows_csv(count: int) -> str:
    lines = ["Code,Unit type,Area (m²),List price"]
    lines += [f"BG-{n},apartment,{50 + n % 100},{100000 + n}" for n in range(count)]
    return "\n".join(lines) + "\n"


def test_large_file_is_queued_and_its_progress_moves(
    admin_client, inventory, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_ROWS = 20
    monkeypatch.setattr(engine, "CHUNK", 10)
    with django_capture_on_commit_callbacks(execute=True):
        job = uploaded_job(admin_client, rows_csv(45))
    assert job.status == "queued"
    assert OrmQ.objects.count() == 1  # handed to the job cluster, not run in the request
    page = admin_client.get(reverse("admin:core_importjob_change", args=[job.pk]))
    assert b"progress-box" in page.content

    seen = []
    advance = ImportJob.progress_advance

    def watched(self, done):
        advance(self, done)
        polled = admin_client.get(reverse("admin:core_importjob_progress", args=[job.pk])).json()
        seen.append((polled["done"], polled["total"], polled["status"]))

    monkeypatch.setattr(ImportJob, "progress_advance", watched)
    jobs.import_job_run(job.pk, False)  # what the cluster's worker runs

    assert seen[:3] == [(10, 45, "running"), (20, 45, "running"), (30, 45, "running")]
    job.refresh_from_db()
    assert (job.status, job.rows_new, job.percent) == ("done", 45, 100)

    with django_capture_on_commit_callbacks(execute=True):
        confirm(admin_client, job)
    assert OrmQ.objects.count() == 2
    jobs.import_job_run(job.pk, True)
    job.refresh_from_db()
    assert (job.phase, job.status, job.rows_written) == ("import", "done", 45)
    assert Unit.objects.filter(code__startswith="BG-").count() == 45


def test_a_fault_fails_the_job_in_words(admin_client, inventory, monkeypatch):
    job = uploaded_job(admin_client, rows_csv(3))

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(engine.writing, "write_rows", broken)
    confirm(admin_client, job)
    job.refresh_from_db()
    assert job.status == "failed"
    assert "unexpected error and was rolled back" in job.message
    assert not Unit.objects.filter(code__startswith="BG-").exists()


def test_an_importer_assigns_only_whom_the_admin_would_offer(client, inventory, agent1, agent2):
    agent1.user_permissions.add(Permission.objects.get(codename="add_unit"))
    client.force_login(agent1)
    header = "Code,Unit type,Area (m²),List price,Agent\n"
    job = uploaded_job(client, header + "OWN-1,villa,300,1,agent1\nOTHER-1,villa,300,1,agent2\n")
    assert (job.rows_new, job.rows_invalid) == (1, 1)
    [error] = job.report["errors"]
    assert (error["row"], error["value"]) == (3, "agent2")
    assert "not one of the agents you may assign records to" in error["message"]
    # The units of others are not theirs to change, even by naming their codes.
    job = uploaded_job(client, header + "MH-101,villa,300,1,agent1\n")
    [error] = job.report["errors"]
    assert error["message"] == "Code “MH-101” is taken by a record you may not change."
