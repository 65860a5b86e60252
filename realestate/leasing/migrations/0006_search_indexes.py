"""Indexes for the search box and the admin's search on leases, on PostgreSQL (see
``core/0003_search_indexes``); SpatiaLite scans instead."""

from django.db import migrations

from realestate.core.migration_operations import PostgresOnlySQL

PREFIX = [  # (index, table, column)
    ("search_lease_number", "leasing_lease", "number"),
]
ANYWHERE = []


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_search_indexes"),
        ("leasing", "0005_maintenancephoto_jpeg_png_webp_only"),
    ]

    operations = [
        PostgresOnlySQL(
            sql=[
                f"CREATE INDEX IF NOT EXISTS {index} ON {table} "
                f"(UPPER({column}::text) text_pattern_ops)"
                for index, table, column in PREFIX
            ]
            + [
                f"CREATE INDEX IF NOT EXISTS {index} ON {table} "
                f"USING gin (UPPER({column}::text) gin_trgm_ops)"
                for index, table, column in ANYWHERE
            ],
            reverse_sql=[f"DROP INDEX IF EXISTS {index}" for index, _t, _c in PREFIX + ANYWHERE],
        ),
    ]
