"""On PostgreSQL the database itself refuses two draft/active leases of one unit that
overlap in time (an exclusion constraint); on SpatiaLite the lease services check it under a
lock on the unit row."""

from django.db import migrations

from realestate.core.migration_operations import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [("leasing", "0001_initial")]

    operations = [
        PostgresOnlySQL(
            sql=[
                "CREATE EXTENSION IF NOT EXISTS btree_gist",
                """
                ALTER TABLE leasing_lease ADD CONSTRAINT lease_no_overlap_per_unit
                EXCLUDE USING gist (
                    unit_id WITH =,
                    daterange(start_date, COALESCE(end_date, 'infinity'::date), '[]') WITH &&
                ) WHERE (status IN ('draft', 'active'))
                """,
            ],
            reverse_sql=["ALTER TABLE leasing_lease DROP CONSTRAINT lease_no_overlap_per_unit"],
        ),
    ]
