"""Indexes for the admin's search box (``realestate.core.search``), on PostgreSQL.

Django matches ``istartswith`` as ``UPPER(column::text) LIKE UPPER('term') || '%'`` and
``icontains`` as ``... LIKE '%' || UPPER('term') || '%'``: an index on that very expression
serves each, with ``text_pattern_ops`` for prefixes (codes, numbers, e-mails, documents) and a
``pg_trgm`` GIN index for matches anywhere (names, phones). SpatiaLite scans instead.
"""

from django.db import migrations

from realestate.core.migration_operations import PostgresOnlySQL

PREFIX = [  # (index, table, column)
    ("search_unit_code", "properties_unit", "code"),
    ("search_client_email", "clients_client", "email"),
    ("search_client_id_number", "clients_client", "id_number"),
    ("search_salecontract_number", "sales_salecontract", "number"),
    ("search_lease_number", "leasing_lease", "number"),
    ("search_receivable_number", "finance_receivable", "number"),
    ("search_payment_number", "finance_payment", "number"),
]
ANYWHERE = [
    ("search_client_name_trgm", "clients_client", "name"),
    ("search_client_phone_trgm", "clients_client", "phone"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_shared_counters_and_cache_table"),
        ("clients", "0001_initial"),
        ("finance", "0001_initial"),
        ("leasing", "0001_initial"),
        ("properties", "0001_initial"),
        ("sales", "0001_initial"),
    ]

    operations = [
        PostgresOnlySQL(
            sql=["CREATE EXTENSION IF NOT EXISTS pg_trgm"]
            + [
                f"CREATE INDEX {index} ON {table} (UPPER({column}::text) text_pattern_ops)"
                for index, table, column in PREFIX
            ]
            + [
                f"CREATE INDEX {index} ON {table} USING gin (UPPER({column}::text) gin_trgm_ops)"
                for index, table, column in ANYWHERE
            ],
            reverse_sql=[f"DROP INDEX IF EXISTS {index}" for index, _t, _c in PREFIX + ANYWHERE],
        ),
    ]
