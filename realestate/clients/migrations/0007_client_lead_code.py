from django.db import migrations, models


class Migration(migrations.Migration):
    """Clients and leads get a business code; empty here, numbered by the next migration,
    unique from the one after (three steps: PostgreSQL alters no table it has just updated
    in the same transaction)."""

    dependencies = [
        ("clients", "0006_search_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="client",
            name="code",
            field=models.CharField(
                blank=True,
                default="",
                help_text="Given on saving when left empty (CL-year-number).",
                max_length=30,
                verbose_name="client code",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalclient",
            name="code",
            field=models.CharField(
                blank=True,
                db_index=True,
                default="",
                help_text="Given on saving when left empty (CL-year-number).",
                max_length=30,
                verbose_name="client code",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicallead",
            name="code",
            field=models.CharField(
                blank=True,
                db_index=True,
                default="",
                help_text="Given on saving when left empty (LD-year-number).",
                max_length=30,
                verbose_name="lead code",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="lead",
            name="code",
            field=models.CharField(
                blank=True,
                default="",
                help_text="Given on saving when left empty (LD-year-number).",
                max_length=30,
                verbose_name="lead code",
            ),
            preserve_default=False,
        ),
    ]
