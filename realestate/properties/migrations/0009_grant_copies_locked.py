"""A grant's copies of its unit's location and code (``0007``, ``0008``) are read with the
unit's row locked (``FOR SHARE``), so that they stay exact when a unit moves while it is
being granted.

Under PostgreSQL's default isolation, a grant inserted while another transaction moves its
unit copied the location from before the move (the move was not committed yet), and the
move's trigger, which updates the unit's grants, did not see the grant (not committed yet
either): the copy stayed stale until the unit moved again. It only narrowed a search then;
a field agent's ``near`` page is now read from the copies alone (``GrantedNear``: matches,
distances, order and count), so a stale copy would show a unit at a place it is not. Locked,
the grant waits for a move in progress and copies where it ended; a move waits for a grant
in progress, and its trigger then updates it. (Two transactions that each grant a unit the
other moves can deadlock; PostgreSQL refuses one of them, which can be retried.) SQLite
writes one transaction at a time: nothing changes there.
"""

from django.db import migrations

from realestate.core.migration_operations import PostgresOnlySQL

GRANT_COPIES_LOCKED = (
    "CREATE OR REPLACE FUNCTION properties_grant_location() RETURNS trigger AS $$ "
    "BEGIN SELECT location, code INTO NEW.location, NEW.unit_code FROM properties_unit "
    "WHERE id = NEW.content_object_id FOR SHARE; RETURN NEW; END $$ LANGUAGE plpgsql"
)
#: 0008's function, for going back.
GRANT_COPIES_0008 = (
    "CREATE OR REPLACE FUNCTION properties_grant_location() RETURNS trigger AS $$ "
    "BEGIN SELECT location, code INTO NEW.location, NEW.unit_code FROM properties_unit "
    "WHERE id = NEW.content_object_id; RETURN NEW; END $$ LANGUAGE plpgsql"
)


class Migration(migrations.Migration):
    dependencies = [
        ("properties", "0008_grant_unit_code"),
    ]

    operations = [
        PostgresOnlySQL(sql=[GRANT_COPIES_LOCKED], reverse_sql=[GRANT_COPIES_0008]),
    ]
