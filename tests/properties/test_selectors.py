"""The inventory's read queries: the distance search takes the spatial index."""

import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from realestate.properties.models import Unit
from realestate.properties.selectors import units_near
from tests.factories import DUBAI, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.mark.postgres_only
def test_near_filters_through_the_gist_index_on_location():
    lng, lat = DUBAI
    for n in range(30):
        UnitFactory(location=Point(lng + n / 100, lat + n / 100, srid=4326))
    near = units_near(Unit.objects.all(), point=Point(lng, lat, srid=4326), radius_km=5)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE properties_unit")
        # A table this small is read whole; without sequential scans, the plan shows
        # whether the filter can use the index at all (else it still scans the table).
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = near.explain()

    index = next(name for name, definition in _indexes() if "USING gist (location)" in definition)
    assert f"Index Scan on {index}" in plan or f"Index Scan using {index}" in plan, plan
    assert "Seq Scan on properties_unit" not in plan, plan
    assert [unit.pk for unit in near] == [
        unit.pk for unit in sorted(near, key=lambda u: u.distance)
    ]


def _indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'properties_unit'"
        )
        return cursor.fetchall()
