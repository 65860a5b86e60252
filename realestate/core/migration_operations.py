"""Migration operations that only apply on one database vendor."""

from django.db import migrations


class VendorOnlySQL(migrations.RunSQL):
    """RunSQL that runs on one database vendor (``vendor``) and does nothing on the others."""

    vendor = ""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class PostgresOnlySQL(VendorOnlySQL):
    """Does nothing on SpatiaLite (where the service enforces the same rule)."""

    vendor = "postgresql"


class SQLiteOnlySQL(VendorOnlySQL):
    """Does nothing on PostgreSQL (the same rule in SQLite's own dialect)."""

    vendor = "sqlite"
