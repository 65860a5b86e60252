"""``pg_trgm`` indexes for the unit list's search fields, on PostgreSQL.

The admin's search matches ``icontains`` as ``UPPER(column::text) LIKE '%TERM%'``: a GIN
trigram index on that expression serves it (``core/0003`` makes the extension). The unit list looks projects and buildings up first and filters units by
their ids (``core.changelist.RelatedSearchMixin``), so each table's index is used on its own.
Built ``CONCURRENTLY``: a million units stay writable meanwhile. SpatiaLite scans instead.
"""

from django.db import migrations

from realestate.core.migration_operations import PostgresOnlySQL

ANYWHERE = [  # (index, table, column)
    ("search_unit_code_trgm", "properties_unit", "code"),
    ("search_project_name_trgm", "properties_project", "name"),
    ("search_project_code_trgm", "properties_project", "code"),
    ("search_building_code_trgm", "properties_building", "code"),
]


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [
        ("core", "0003_search_indexes"),
        ("properties", "0003_unitphoto_jpeg_png_webp_only"),
    ]

    operations = [
        PostgresOnlySQL(
            sql=[
                # Unit codes by prefix (the search box): ``istartswith`` on the same expression.
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS search_unit_code ON properties_unit "
                "(UPPER(code::text) text_pattern_ops)",
            ]
            + [
                f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {index} ON {table} "
                f"USING gin (UPPER({column}::text) gin_trgm_ops)"
                for index, table, column in ANYWHERE
            ],
            reverse_sql=[
                "DROP INDEX CONCURRENTLY IF EXISTS search_unit_code",
                *(f"DROP INDEX CONCURRENTLY IF EXISTS {index}" for index, _t, _c in ANYWHERE),
            ],
        ),
    ]
