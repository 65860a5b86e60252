"""Hostile and broken files: each refused quickly, in words, with nothing written."""

import csv
import io
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from import_export.formats import base_formats

from realestate.properties.models import Unit
from tests.imports.conftest import (
    HEADER,
    UNIT_EXPORT_URL,
    UNIT_IMPORT_URL,
    confirm,
    snapshot,
    upload,
    uploaded_job,
)

pytestmark = pytest.mark.django_db


def form_errors(response) -> str:
    assert response.status_code == 200
    return " ".join(response.context["form"].errors.get("file", []))


def test_only_csv_and_xlsx_are_offered(admin_client, inventory):
    unit_admin = admin.site._registry[Unit]
    assert unit_admin.get_export_formats() == [base_formats.CSV, base_formats.XLSX]
    page = admin_client.get(UNIT_IMPORT_URL).content.decode()
    assert "YAML" not in page and "JSON" not in page


@pytest.mark.parametrize("name", ["units.yaml", "units.json", "units.html", "units.tsv", "units"])
def test_other_formats_are_refused(admin_client, inventory, name):
    before = snapshot()
    response = upload(admin_client, "- !!python/object:x {}\n" * 10, name=name)
    assert "only those two formats are imported" in form_errors(response)
    assert snapshot() == before


def test_yaml_renamed_csv_is_just_a_bad_header(admin_client, inventory):
    job = uploaded_job(admin_client, "a: &a [1,2]\nb: &b [*a,*a]\n", name="units.csv")
    assert job.status == "failed" and "unknown columns" in job.message


def test_oversize_file_is_refused_by_its_size(admin_client, inventory, settings):
    settings.IMPORT_MAX_MB = 1
    response = upload(admin_client, HEADER + "x" * (1024 * 1024 + 10))
    assert "the limit is 1 MB" in form_errors(response)


def make_zip_bomb(member: str) -> bytes:
    """1 MB that declares a 400 MB part, as the one that held a worker for 4 minutes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open(member, "w", force_zip64=True) as part:
            chunk = b"<row><c><v>0</v></c></row>" * 40000
            for _ in range(400 * 1024 * 1024 // len(chunk)):
                part.write(chunk)
    return buffer.getvalue()


@pytest.mark.parametrize("member", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"])
def test_zip_bomb_is_refused_in_under_a_second(admin_client, inventory, member):
    zip_bomb = make_zip_bomb(member)
    assert len(zip_bomb) < 2 * 1024 * 1024
    started = time.monotonic()
    job = uploaded_job(admin_client, zip_bomb, name="units.xlsx")
    assert time.monotonic() - started < 1
    assert job.status == "failed"
    assert "expands to 400 MB" in job.message


def test_not_a_workbook_is_refused(admin_client, inventory):
    job = uploaded_job(admin_client, b"not a spreadsheet", name="units.xlsx")
    assert (job.status, job.message) == ("failed", "The file is not a readable XLSX workbook.")


def test_a_50_mb_row_is_reported_by_its_number(admin_client, inventory, settings):
    settings.IMPORT_MAX_MB = 60
    content = HEADER + "OK-1,,,villa,sale,300,1,,\n" + "A" * (50 * 1024 * 1024) + "\n"
    started = time.monotonic()
    job = uploaded_job(admin_client, content)
    assert time.monotonic() - started < 5
    assert job.status == "failed"
    assert job.message.startswith("Row 3 is longer than 100,000 characters")
    assert not Unit.objects.filter(code="OK-1").exists()


def test_a_long_cell_is_named_by_row_and_column(admin_client, inventory):
    content = "Code,Unit type,Area (m²),List price,Description\n"
    content += "OK-1,villa,300,1,short\nOK-2,villa,300,1," + "d" * 20_000 + "\n"
    job = uploaded_job(admin_client, content)
    assert job.status == "failed"
    assert "Row 3, column 5: the cell holds 20,000 characters" in job.message


def test_confirm_takes_no_path_from_the_form(admin_client, inventory, tmp_path):
    victim = tmp_path / "x"
    victim.write_text("keep me")
    old_confirm = reverse("admin:properties_unit_import").replace("import/", "process_import/")
    response = admin_client.post(
        old_confirm, {"import_file_name": f"../../..{victim}", "format": "0", "resource": "0"}
    )
    assert response.status_code in (404, 302)  # import-export's confirm view is gone
    job = uploaded_job(admin_client, HEADER + "OK-1,,,villa,sale,300,1,,\n")
    response = admin_client.post(
        reverse("admin:core_importjob_confirm", args=[job.pk]),
        {"import_file_name": f"../../..{victim}", "file": str(victim)},
    )
    assert response.status_code == 302
    assert victim.read_text() == "keep me"
    assert Unit.objects.filter(code="OK-1").exists()  # the stored file was imported


def test_confirm_is_a_post_by_the_uploader(client, admin_client, inventory, agent1):
    job = uploaded_job(admin_client, HEADER + "OK-1,,,villa,sale,300,1,,\n")
    assert (
        admin_client.get(reverse("admin:core_importjob_confirm", args=[job.pk])).status_code == 405
    )
    client.force_login(agent1)
    assert confirm(client, job).status_code == 404
    assert not Unit.objects.filter(code="OK-1").exists()


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ((HEADER + "CAFÉ-1,,,villa,sale,300,1,,\n").encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + (HEADER + "CAFÉ-1,,,villa,sale,300,1,,\n").encode("utf-8"), "utf-8-sig"),
        ((HEADER + "CAFÉ-1,,,villa,sale,300,1,,\n").encode("cp1252"), "cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "windows-1252"],
)
def test_csv_encodings_are_detected(admin_client, inventory, data, encoding):
    job = uploaded_job(admin_client, data)
    assert (job.encoding, job.rows_new, job.rows_invalid) == (encoding, 1, 0), job.message
    confirm(admin_client, job)
    assert Unit.objects.filter(code="CAFÉ-1").exists()


def test_wrong_chosen_encoding_is_said_in_words(admin_client, inventory):
    data = "code,unit_type,area_sqm,list_price\nCAFÉ-1,villa,300,1\n".encode("cp1252")
    job = uploaded_job(admin_client, data, encoding="utf-8")
    assert job.status == "failed"
    assert "Row 2 is not valid UTF-8 text" in job.message


def test_xlsx_import_reads_the_first_sheet(admin_client, inventory):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Code", "Unit type", "Area (m²)", "List price", "Floor"])
    sheet.append(["X-1", "Villa", 300.5, 4_000_000, 2])
    buffer = io.BytesIO()
    book.save(buffer)
    job = uploaded_job(admin_client, buffer.getvalue(), name="units.xlsx")
    assert (job.rows_new, job.rows_invalid) == (1, 0), job.report
    confirm(admin_client, job)
    unit = Unit.objects.get(code="X-1")
    assert (str(unit.area_sqm), unit.floor, unit.unit_type) == ("300.50", 2, "villa")


# --- exports ------------------------------------------------------------------------------


def export(client, format_index: str):
    response = client.post(UNIT_EXPORT_URL, {"format": format_index, "resource": "0"})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_csv_export_escapes_formulas(admin_client, inventory):
    Unit.objects.filter(code="STAND-1").update(floor=-1, description="@SUM(A1)")
    text = export(admin_client, "0").decode("utf-8-sig")
    rows = {row["Code"]: row for row in csv.DictReader(io.StringIO(text))}
    assert rows["MH-102"]["Description"] == '\'=HYPERLINK("http://evil")'
    assert rows["STAND-1"]["Description"] == "'@SUM(A1)"
    assert rows["STAND-1"]["Floor"] == "-1"  # a number, not a formula


def test_xlsx_export_writes_formulas_as_text(admin_client, inventory):
    Unit.objects.filter(code="STAND-1").update(description="+1+2", floor=-1)
    sheet = openpyxl.load_workbook(io.BytesIO(export(admin_client, "1"))).active
    header = [cell.value for cell in sheet[1]]
    by_code = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    description = by_code["MH-102"][header.index("Description")]
    assert (description.value, description.data_type) == ('=HYPERLINK("http://evil")', "s")
    assert by_code["STAND-1"][header.index("Description")].data_type == "s"
    assert by_code["STAND-1"][header.index("Floor")].value == -1


def test_export_is_logged_with_its_row_count(admin_client, inventory, superuser):
    export(admin_client, "0")
    entry = LogEntry.objects.latest("pk")
    assert entry.user == superuser
    assert entry.change_message == "Exported 3 units as CSV (whole list)."


def test_uploaded_files_are_not_served_as_media(admin_client, inventory):
    job = uploaded_job(admin_client, HEADER)
    assert admin_client.get(f"/media/{job.file.name}").status_code == 404
    assert Path(job.file.name).parts[0] == "imports"
