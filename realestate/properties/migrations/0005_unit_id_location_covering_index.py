"""A covering index of units' ids with their locations, on PostgreSQL, for ``units_near``.

A field agent's ``near`` search starts from their grants (10,000 units of a million): for
each, whether it lies within the circle. Read from the table, each test reads the unit's row
(a million rows, 330 MB, more than ``shared_buffers`` holds); read from this index (``Index
Only Scan``), it reads 60 MB that stay in memory, and only the matches' rows are read after.
Built ``CONCURRENTLY``: the units stay writable meanwhile. SpatiaLite reads the table.
"""

from django.db import migrations

from realestate.core.migration_operations import PostgresOnlySQL


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [("properties", "0004_unit_search_trigram_indexes")]

    operations = [
        PostgresOnlySQL(
            sql=[
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS unit_id_location ON properties_unit "
                "(id) INCLUDE (location)"
            ],
            reverse_sql=["DROP INDEX CONCURRENTLY IF EXISTS unit_id_location"],
        )
    ]
