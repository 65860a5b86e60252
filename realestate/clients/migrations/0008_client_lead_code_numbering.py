from django.db import migrations

WIDTH = 5


def number_existing(apps, schema_editor):
    """Every client and lead gets its code from the same counters new ones use
    (``core.numbering``: prefix, year of creation, sequence)."""
    sequences = apps.get_model("core", "NumberSequence")
    for model_name, prefix in (("Client", "CL"), ("Lead", "LD")):
        model = apps.get_model("clients", model_name)
        last: dict[int, int] = {}
        for sequence in sequences.objects.filter(prefix=prefix):
            last[sequence.year] = sequence.last_value
        batch = []
        for record in model.objects.filter(code="").order_by("created_at", "pk").iterator():
            year = record.created_at.year
            last[year] = last.get(year, 0) + 1
            record.code = f"{prefix}-{year}-{last[year]:0{WIDTH}d}"
            batch.append(record)
            if len(batch) == 1000:
                model.objects.bulk_update(batch, ["code"])
                batch = []
        if batch:
            model.objects.bulk_update(batch, ["code"])
        for year, value in last.items():
            sequences.objects.update_or_create(
                prefix=prefix, year=year, defaults={"last_value": value}
            )


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0007_client_lead_code"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(number_existing, migrations.RunPython.noop)]
