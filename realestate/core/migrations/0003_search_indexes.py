"""PostgreSQL's ``pg_trgm``, for the search indexes each app makes on its own tables.

Django matches ``istartswith`` as ``UPPER(column::text) LIKE UPPER('term') || '%'`` and
``icontains`` as ``... LIKE '%' || UPPER('term') || '%'``: an index on that very expression
serves each, with ``text_pattern_ops`` for prefixes (codes, numbers, e-mails, documents) and a
``pg_trgm`` GIN index for matches anywhere (names, phones). SpatiaLite scans instead.
"""

from django.db import migrations

from realestate.core.migration_operations import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_shared_counters_and_cache_table"),
    ]

    operations = [
        PostgresOnlySQL(
            sql=["CREATE EXTENSION IF NOT EXISTS pg_trgm"],
            reverse_sql=[],
        ),
    ]
