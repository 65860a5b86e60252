"""Every importable list: export, import the file back, nothing changes; a new row imports."""

import datetime

import pytest
from django.urls import reverse

from realestate.leasing.models import Vendor
from realestate.properties.models import Amenity, Building, Project
from realestate.sales.models import PaymentPlan
from tests.factories import BuildingFactory, PaymentPlanFactory, ProjectFactory, VendorFactory
from tests.imports.conftest import confirm, uploaded_job

pytestmark = pytest.mark.django_db

CASES = {
    "project": (
        "Code,Name,City,Latitude,Longitude,Launch date,Handover date\n"
        "palm-one,Palm One,Dubai,25.11,55.13,2025-02-01,2027-01-31\n",
        lambda: Project.objects.get(code="palm-one").handover_date == datetime.date(2027, 1, 31),
    ),
    "building": (
        "Code,Project,Name,Floors\nMH-T9,marina-heights,Tower 9,12\n",
        lambda: Building.objects.get(code="MH-T9").project.code == "marina-heights",
    ),
    "amenity": (
        "Name\nRooftop pool\n",
        lambda: Amenity.objects.filter(name="Rooftop pool").exists(),
    ),
    "vendor": (
        "Name,Trade,Phone\nCool Air LLC,Air conditioning,+971 4 111\n",
        lambda: Vendor.objects.get(name="Cool Air LLC").trade == "hvac",
    ),
    "paymentplan": (
        "Name,Down payment %,Instalments,Frequency,On handover %,Offered\n"
        "20/80 handover,20,0,Monthly,80,no\n",
        lambda: not PaymentPlan.objects.get(name="20/80 handover").is_active,
    ),
}
MODELS = {
    "project": ("properties", Project),
    "building": ("properties", Building),
    "amenity": ("properties", Amenity),
    "vendor": ("leasing", Vendor),
    "paymentplan": ("sales", PaymentPlan),
}


@pytest.fixture
def catalogue(inventory):
    project = ProjectFactory(
        code="downtown", launch_date=datetime.date(2024, 1, 1), description="=cmd|' /C calc'!A0"
    )
    BuildingFactory(project=project, code="DT-1")
    Amenity.objects.create(name="Gym")
    Amenity.objects.create(name="@Spa")
    VendorFactory(name="-Minus Plumbing", phone="+971 50 123")
    PaymentPlanFactory(name="Standard 10/90", notes="=1+1")


def values(model):
    return list(model.objects.order_by("pk").values())


@pytest.mark.parametrize("name", list(MODELS))
def test_export_imports_back_unchanged_and_a_new_row_imports(admin_client, catalogue, name):
    app, model = MODELS[name]
    export_url = reverse(f"admin:{app}_{name}_export")
    import_url = reverse(f"admin:{app}_{name}_import")
    response = admin_client.post(export_url, {"format": "0", "resource": "0"})
    assert response.status_code == 200
    exported = b"".join(response.streaming_content)
    before = values(model)

    job = uploaded_job(admin_client, exported, url=import_url)

    assert job.rows_invalid == 0, job.report
    assert (job.rows_new, job.rows_changed) == (0, 0), job.report
    assert job.rows_unchanged == model.objects.count()
    assert values(model) == before

    content, check = CASES[name]
    job = uploaded_job(admin_client, content, url=import_url)
    assert (job.rows_new, job.rows_invalid) == (1, 0), job.report
    confirm(admin_client, job)
    assert check()


def test_a_project_needs_its_location(admin_client, catalogue):
    job = uploaded_job(
        admin_client,
        "Code,Name,City,Latitude,Longitude\nno-place,No place,Dubai,,\n",
        url=reverse("admin:properties_project_import"),
    )
    [error] = job.report["errors"]
    assert error["message"] == "Latitude and longitude are needed."


def test_a_rule_over_several_columns_is_told_for_the_row(admin_client, catalogue):
    job = uploaded_job(
        admin_client,
        "Name,Down payment %,On handover %\nToo much,60,50\n",
        url=reverse("admin:sales_paymentplan_import"),
    )
    [error] = job.report["errors"]
    assert (error["row"], error["column"]) == (2, "")
    assert error["message"] == "Down payment and handover together exceed 100%."
