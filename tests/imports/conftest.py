"""Shared helpers: upload a file to a list's import page, follow it to its import record."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from realestate.core.models import ImportJob
from realestate.properties.models import Unit
from tests.factories import AgentFactory, BuildingFactory, ProjectFactory, UnitFactory, UserFactory

UNIT_IMPORT_URL = reverse("admin:properties_unit_import")
UNIT_EXPORT_URL = reverse("admin:properties_unit_export")

HEADER = "Code,Project,Building,Unit type,Purpose,Area (m²),List price,Latitude,Longitude\n"


def upload(client, content, name="units.csv", url=UNIT_IMPORT_URL, mode="all", encoding="auto"):
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    response = client.post(
        url, {"file": SimpleUploadedFile(name, data), "mode": mode, "encoding": encoding}
    )
    return response


def uploaded_job(client, content, **kwargs) -> ImportJob:
    response = upload(client, content, **kwargs)
    assert response.status_code == 302, response.content[:3000]
    job = ImportJob.objects.latest("pk")
    assert response["Location"] == reverse("admin:core_importjob_change", args=[job.pk])
    return job


def confirm(client, job):
    return client.post(reverse("admin:core_importjob_confirm", args=[job.pk]))


def snapshot():
    """Every stored value of every unit, to show that an import changed nothing."""
    values = Unit.objects.values(
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
    return {unit["code"]: unit for unit in values} | {
        "locations": sorted((u.code, u.location and u.location.wkt) for u in Unit.objects.all())
    }


@pytest.fixture
def inventory(db):
    project = ProjectFactory(code="marina-heights", name="Marina Heights")
    building = BuildingFactory(project=project, code="MH-T1")
    agent = UserFactory(username="sara")
    AgentFactory(user=agent)
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
            description='=HYPERLINK("http://evil")',
        ),
        UnitFactory(code="STAND-1", project=None, location=None, list_price=Decimal("99.99")),
    ]
