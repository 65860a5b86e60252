"""Units go out to CSV/XLSX and come back in through the admin, codes in place of ids."""

import csv
import html
import io
from decimal import Decimal

import openpyxl
import pytest
import tablib
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.formats import base_formats

from realestate.properties.choices import UnitStatus
from realestate.properties.models import Unit
from realestate.properties.resources import UnitResource
from tests.factories import (
    AgentFactory,
    BuildingFactory,
    ProjectFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

EXPORT_URL = reverse("admin:properties_unit_export")
IMPORT_URL = reverse("admin:properties_unit_import")
PROCESS_IMPORT_URL = reverse("admin:properties_unit_process_import")


def unit_admin():
    return admin.site._registry[Unit]


def format_index(formats, format_class):
    """The form's ``format`` value: the index of the format in the admin's list."""
    return str([type(f()) for f in formats].index(format_class))


def export_format(format_class):
    return format_index(unit_admin().get_export_formats(), format_class)


def import_format(format_class):
    return format_index(unit_admin().get_import_formats(), format_class)


def snapshot():
    """Every stored value of every unit, to show an import changed nothing."""
    return {
        unit["code"]: unit
        for unit in Unit.objects.values(
            "code",
            "project_id",
            "building_id",
            "unit_type",
            "purpose",
            "status",
            "floor",
            "bedrooms",
            "bathrooms",
            "area_sqm",
            "list_price",
            "monthly_rent",
            "currency",
            "agent_id",
            "description",
            "updated_at",
        )
    } | {"locations": sorted((u.code, u.location and u.location.wkt) for u in Unit.objects.all())}


@pytest.fixture
def inventory():
    project = ProjectFactory(code="marina-heights", name="Marina Heights")
    building = BuildingFactory(project=project, code="MH-T1")
    agent = UserFactory(username="sara")
    return [
        UnitFactory(
            code="MH-101",
            project=project,
            building=building,
            agent=agent,
            list_price=Decimal("1850000.00"),
        ),
        UnitFactory(
            code="MH-102",
            project=project,
            building=building,
            purpose="both",
            monthly_rent=Decimal("9500.00"),
            description="Corner unit, sea view",
        ),
        UnitFactory(code="STAND-1", project=None, location=None, list_price=Decimal("99.99")),
    ]


def export_csv(client) -> str:
    response = client.post(EXPORT_URL, {"format": export_format(base_formats.CSV), "resource": "0"})
    assert response.status_code == 200, response.content[:2000]
    assert response["Content-Type"].startswith("text/csv")
    return response.content.decode("utf-8-sig")


def test_export_csv_names_projects_by_code_and_splits_location(admin_client, inventory):
    rows = list(csv.DictReader(io.StringIO(export_csv(admin_client))))

    assert {"code", "project", "latitude", "longitude", "building", "agent", "status"} <= set(
        rows[0]
    )
    by_code = {row["code"]: row for row in rows}
    assert set(by_code) == {"MH-101", "MH-102", "STAND-1"}
    unit = by_code["MH-101"]
    assert unit["project"] == "marina-heights"  # the code, not the database id
    assert unit["building"] == "MH-T1"
    assert unit["agent"] == "sara"
    assert unit["latitude"] == "25.204800"
    assert unit["longitude"] == "55.270800"
    assert unit["list_price"] == "1850000.00"
    assert by_code["STAND-1"]["project"] == ""
    assert by_code["STAND-1"]["latitude"] == by_code["STAND-1"]["longitude"] == ""


def test_export_xlsx(admin_client, inventory):
    response = admin_client.post(
        EXPORT_URL, {"format": export_format(base_formats.XLSX), "resource": "0"}
    )
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.values)
    records = {row[header.index("code")]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(records) == {"MH-101", "MH-102", "STAND-1"}
    unit = records["MH-102"]
    assert unit["project"] == "marina-heights"
    assert float(unit["latitude"]) == pytest.approx(25.2048)
    assert float(unit["longitude"]) == pytest.approx(55.2708)


def upload(content: str, name="units.csv"):
    return SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")


def import_csv(client, content: str):
    return client.post(
        IMPORT_URL,
        {
            "format": import_format(base_formats.CSV),
            "resource": "0",
            "import_file": upload(content),
        },
    )


def test_exported_file_imports_back_unchanged(admin_client, inventory):
    exported = export_csv(admin_client)
    before = snapshot()

    response = import_csv(admin_client, exported)

    assert response.status_code == 200
    result = response.context["result"]
    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert result.totals["skip"] == 3, [row.import_type for row in result.rows]
    confirm_form = response.context["confirm_form"]
    assert snapshot() == before  # the preview is a dry run

    # Confirming the import writes nothing either: every row is unchanged.
    response = admin_client.post(PROCESS_IMPORT_URL, confirm_form.initial)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:properties_unit_changelist")
    assert snapshot() == before


HEADER = "code,project,building,unit_type,purpose,area_sqm,list_price,latitude,longitude\n"


@pytest.mark.parametrize(
    ("bad_row", "field", "message"),
    [
        (
            "NEW-3,no-such-project,,apartment,sale,80,900000,25.1,55.1",
            "project",
            "No project with code 'no-such-project'.",
        ),
        (
            "NEW-3,marina-heights,,apartment,sale,80,900000,abc,55.1",
            "latitude",
            "'abc' is not a number.",
        ),
        (
            "NEW-3,marina-heights,,apartment,sale,80,900000,95,55.1",
            "latitude",
            "95.0 is out of range (-90 to 90).",
        ),
        (
            "NEW-3,marina-heights,,apartment,sale,80,,25.1,55.1",
            "list_price",
            "A unit for sale needs a list price.",
        ),
    ],
    ids=["unknown-project", "latitude-not-a-number", "latitude-out-of-range", "missing-price"],
)
def test_bad_row_is_reported_by_number_and_field(admin_client, inventory, bad_row, field, message):
    content = (
        HEADER
        + "NEW-1,marina-heights,MH-T1,apartment,sale,75.5,800000,25.1,55.1\n"
        + "MH-101,marina-heights,MH-T1,apartment,sale,110.50,1900000,25.2,55.2\n"
        + bad_row
        + "\n"
    )
    before = snapshot()

    response = import_csv(admin_client, content)

    assert response.status_code == 200
    result = response.context["result"]
    assert result.has_validation_errors()
    assert "confirm_form" not in response.context  # no way to go on with a bad file
    [invalid] = result.invalid_rows
    assert invalid.number == 3
    assert message in invalid.field_specific_errors[field]
    page = html.unescape(response.content.decode())
    assert message in page
    assert Unit.objects.count() == 3
    assert not Unit.objects.filter(code__startswith="NEW-").exists()
    assert snapshot() == before


def test_unreadable_file_is_refused(admin_client, inventory):
    response = admin_client.post(
        IMPORT_URL,
        {
            "format": import_format(base_formats.XLSX),
            "resource": "0",
            "import_file": SimpleUploadedFile("units.xlsx", b"not a spreadsheet"),
        },
    )
    assert response.status_code == 200
    assert "import_file" in response.context["form"].errors
    assert Unit.objects.count() == 3


def test_resource_import_creates_unit_with_point_and_agent_grant(roles):
    project = ProjectFactory(code="palm-villas")
    agent = AgentFactory(user=UserFactory(username="omar")).user
    dataset = tablib.Dataset(
        headers=[
            "code",
            "project",
            "unit_type",
            "purpose",
            "status",
            "bedrooms",
            "area_sqm",
            "list_price",
            "latitude",
            "longitude",
            "agent",
        ]
    )
    dataset.append(
        [
            "PV-7",
            "palm-villas",
            "villa",
            "sale",
            "sold",
            "4",
            "420.00",
            "7250000.00",
            "25.112233",
            "55.138899",
            "omar",
        ]
    )

    result = UnitResource().import_data(dataset, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 1
    unit = Unit.objects.get(code="PV-7")
    assert unit.project == project
    assert unit.location.srid == 4326
    assert unit.location.x == pytest.approx(55.138899)
    assert unit.location.y == pytest.approx(25.112233)
    assert unit.list_price == Decimal("7250000.00")
    # The status column is for information: only workflows set a status.
    assert unit.status == UnitStatus.AVAILABLE
    # The assigned agent receives the unit's grants, as with any other save.
    assert list(Unit.objects.restrict(agent, "view")) == [unit]


def test_resource_import_with_a_bad_row_writes_nothing():
    ProjectFactory(code="palm-villas")
    dataset = tablib.Dataset(
        headers=[
            "code",
            "project",
            "unit_type",
            "purpose",
            "area_sqm",
            "list_price",
            "latitude",
            "longitude",
        ]
    )
    dataset.append(["PV-1", "palm-villas", "villa", "sale", "300", "5000000", "25.1", "55.1"])
    dataset.append(["PV-2", "palm-villas", "villa", "sale", "300", "5000000", "25.1", ""])

    # The house default: one invalid row rolls back the whole file.
    result = UnitResource().import_data(dataset, dry_run=False)

    [invalid] = result.invalid_rows
    assert invalid.number == 2
    assert "latitude" in invalid.field_specific_errors or (
        "longitude" in invalid.field_specific_errors
    )
    assert not Unit.objects.filter(code__startswith="PV-").exists()
