"""Indexes for the search box and the admin's search on clients, on PostgreSQL (see
``core/0003_search_indexes``); SpatiaLite scans instead."""

from django.db import migrations

from realestate.core.migration_operations import PostgresOnlySQL

PREFIX = [  # (index, table, column)
    ("search_client_email", "clients_client", "email"),
    ("search_client_id_number", "clients_client", "id_number"),
]
ANYWHERE = [  # (index, table, column)
    ("search_client_name_trgm", "clients_client", "name"),
    ("search_client_phone_trgm", "clients_client", "phone"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_search_indexes"),
        ("clients", "0005_portal_user_not_staff"),
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
