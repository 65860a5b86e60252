"""The unit resource (django-import-export) still reads codes in place of ids; the admin's
import and export go through the house importer, tested in tests/imports/."""

from decimal import Decimal

import pytest
import tablib

from realestate.properties.choices import UnitStatus
from realestate.properties.models import Unit
from realestate.properties.resources import UnitResource
from tests.factories import AgentFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


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
