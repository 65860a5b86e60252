"""On PostgreSQL, parameters travel apart from the SQL (server-side binding), and a statement a
connection runs again is prepared, so PostgreSQL plans it once (``config/settings.py``)."""

import pytest
from django.db import connection

from realestate.properties.models import Unit
from tests.factories import UnitFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_query_run_again_is_prepared_and_answers_for_its_own_parameters():
    assert connection.settings_dict["OPTIONS"]["server_side_binding"] is True
    units = [UnitFactory(code=f"PREP-{number}") for number in range(8)]

    answers = [
        Unit.objects.filter(pk=unit.pk).values_list("code", flat=True).get() for unit in units
    ]

    assert answers == [f"PREP-{number}" for number in range(8)]
    assert any(
        'FROM "properties_unit"' in statement and "$1" in statement
        for statement in prepared_statements()
    )
