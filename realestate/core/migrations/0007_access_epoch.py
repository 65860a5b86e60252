"""The shared access epoch of ``core.access``, counted from 0: a user's permissions and
grants are remembered between API requests only while it has not moved."""

from django.db import migrations

EPOCH_KEY = "access-epoch"
EPOCH_EXPIRES = 2.0**62


def epoch_create(apps, schema_editor):
    SharedCounter = apps.get_model("core", "SharedCounter")
    SharedCounter.objects.using(schema_editor.connection.alias).get_or_create(
        key=EPOCH_KEY, defaults={"count": 0, "expires_at": EPOCH_EXPIRES}
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0006_export_jobs")]

    operations = [migrations.RunPython(epoch_create, migrations.RunPython.noop)]
