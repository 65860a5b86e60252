"""Grants on units carry their unit's location, kept by the database, with an index on
(holder, location) on PostgreSQL.

A field agent's ``near`` search over a million units tested each of their 10,000 granted units
against the circle (10,000 index probes, 32 ms); from the grants' own index it reads the few
hundred grants inside the circle's box (3 to 5 ms). The copy is written by triggers, so every
way a grant or a unit is written keeps it (guardian's ``assign_perm``, bulk grants in SQL,
imports, the admin, a unit moved by ``UPDATE``); a search still tests the unit's own location,
so a stale copy could only ever hide a unit, never show one outside the caller's scope. (Since
``0009`` the copies are read with the unit locked, exact under concurrent writes, and a field
agent's ``near`` page is read from them alone.)
"""

import django.contrib.gis.db.models.fields
from django.db import migrations

from realestate.core.migration_operations import PostgresOnlySQL, SQLiteOnlySQL

#: (grant table, holder column, trigger name part)
GRANTS = (
    ("properties_unituserobjectpermission", "user_id", "user"),
    ("properties_unitgroupobjectpermission", "group_id", "group"),
)
UNIT_LOCATION = "(SELECT location FROM properties_unit WHERE id = {ref}.content_object_id)"
COPY_TO_GRANTS = " ".join(
    f"UPDATE {table} SET location = NEW.location WHERE content_object_id = NEW.id;"
    for table, _, _ in GRANTS
)

POSTGRES = [
    "CREATE OR REPLACE FUNCTION properties_grant_location() RETURNS trigger AS $$ "
    f"BEGIN NEW.location := {UNIT_LOCATION.format(ref='NEW')}; RETURN NEW; END "
    "$$ LANGUAGE plpgsql",
    *(
        f"CREATE TRIGGER unit_{name}_grant_location BEFORE INSERT OR UPDATE OF "
        f"content_object_id ON {table} FOR EACH ROW EXECUTE FUNCTION properties_grant_location()"
        for table, _, name in GRANTS
    ),
    "CREATE OR REPLACE FUNCTION properties_unit_location_to_grants() RETURNS trigger AS $$ "
    f"BEGIN {COPY_TO_GRANTS} RETURN NULL; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER unit_location_to_grants AFTER UPDATE OF location ON properties_unit "
    "FOR EACH ROW WHEN (OLD.location IS DISTINCT FROM NEW.location) "
    "EXECUTE FUNCTION properties_unit_location_to_grants()",
    *(
        f"UPDATE {table} g SET location = u.location FROM properties_unit u "
        "WHERE u.id = g.content_object_id"
        for table, _, _ in GRANTS
    ),
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    *(
        f"CREATE INDEX unit_{name}_grant_location ON {table} USING gist ({holder}, location)"
        for table, holder, name in GRANTS
    ),
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS unit_location_to_grants ON properties_unit",
    "DROP FUNCTION IF EXISTS properties_unit_location_to_grants()",
    *(f"DROP TRIGGER IF EXISTS unit_{name}_grant_location ON {table}" for table, _, name in GRANTS),
    "DROP FUNCTION IF EXISTS properties_grant_location()",
    *(f"DROP INDEX IF EXISTS unit_{name}_grant_location" for _, _, name in GRANTS),
]
SQLITE = [
    *(
        f"CREATE TRIGGER unit_{name}_grant_{event[0]} AFTER {event[1]} ON {table} BEGIN "
        f"UPDATE {table} SET location = {UNIT_LOCATION.format(ref='NEW')} WHERE id = NEW.id; END"
        for table, _, name in GRANTS
        for event in (("location", "INSERT"), ("relocation", "UPDATE OF content_object_id"))
    ),
    "CREATE TRIGGER unit_location_to_grants AFTER UPDATE OF location ON properties_unit "
    f"WHEN OLD.location IS NOT NEW.location BEGIN {COPY_TO_GRANTS} END",
    *(f"UPDATE {table} SET location = {UNIT_LOCATION.format(ref=table)}" for table, _, _ in GRANTS),
]
SQLITE_REVERSE = [
    # Removing these columns, Django's SpatiaLite backend drops their spatial index's table,
    # which a column without a spatial index does not have, and leaves SpatiaLite's
    # bookkeeping rows of them, which then fail the foreign-key check: an empty table for it
    # to drop, and the rows deleted first.
    *(f"CREATE TABLE IF NOT EXISTS idx_{table}_location (pkid INTEGER)" for table, _, _ in GRANTS),
    *(
        f"DELETE FROM {bookkeeping} WHERE lower(f_table_name) = '{table}'"
        for bookkeeping in (
            "geometry_columns_statistics",
            "geometry_columns_field_infos",
            "geometry_columns_time",
            "geometry_columns_auth",
        )
        for table, _, _ in GRANTS
    ),
    "DROP TRIGGER IF EXISTS unit_location_to_grants",
    *(
        f"DROP TRIGGER IF EXISTS unit_{name}_grant_{kind}"
        for _, _, name in GRANTS
        for kind in ("location", "relocation")
    ),
]


def location_field():
    return django.contrib.gis.db.models.fields.PointField(
        blank=True,
        editable=False,
        null=True,
        spatial_index=False,
        srid=4326,
        verbose_name="location",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("properties", "0006_unit_floor_range"),
    ]

    operations = [
        migrations.AddField(
            model_name="unitgroupobjectpermission", name="location", field=location_field()
        ),
        migrations.AddField(
            model_name="unituserobjectpermission", name="location", field=location_field()
        ),
        PostgresOnlySQL(sql=POSTGRES, reverse_sql=POSTGRES_REVERSE),
        SQLiteOnlySQL(sql=SQLITE, reverse_sql=SQLITE_REVERSE),
    ]
