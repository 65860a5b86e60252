"""``bench_import``: time the units import and the XLSX export against a stock resource and
the database's own bulk load.

Writes a ``--rows`` units CSV (100,000 by default) in the import format, then measures:

- the project's import through the admin's own path (the upload stored with an import
  record, the check that the preview shows, the confirmed import; validation, history rows,
  the agents' grants and the audit entry included), all or nothing;
- a stock django-import-export ``ModelResource`` for ``Unit`` with default options, on a
  ``--stock-rows`` slice (10,000 by default) of the same rows, extrapolated (it says so);
- the floor: PostgreSQL's ``COPY`` of the same rows into the units table (PostGIS only);
- the XLSX export of the imported units through the admin's export view (for this many
  rows a background job, run here in process, as the job cluster would).

The last line of output is the result::

    import_rows=100000 import_s=... rows_per_s=... stock_rows_per_s=... floor_rows_per_s=...
    peak_rss_mb=... export_xlsx_s=...

Run it on a database of its own (``make bench-import``): it refuses a database holding units
it did not create, unless ``--force``, and removes its own units before and after.
"""

from __future__ import annotations

import csv
import io
import resource
import tempfile
import time
from decimal import Decimal

import tablib
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings
from django.urls import reverse
from import_export import resources

from realestate.accounts.models import Agent, Branch
from realestate.accounts.roles import roles_sync
from realestate.core.bench import logged_in_client
from realestate.core.importing import jobs
from realestate.core.models import ImportJob
from realestate.properties.models import Building, Project, Unit

MARK = "BI-"
STOCK_MARK = "BS-"
FLOOR_MARK = "BF-"
USERS = "bench-import-"
TYPES = ["apartment", "villa", "office", "shop"]


class StockUnitResource(resources.ModelResource):
    """django-import-export as it comes: every field, ids for foreign keys, no tuning."""

    class Meta:
        model = Unit


class Command(BaseCommand):
    help = "Benchmark the units import and XLSX export (see the module's docstring)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument("--stock-rows", type=int, default=10_000)
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, rows, stock_rows, force, **options):
        foreign = (
            Unit.objects.exclude(code__startswith=MARK)
            .exclude(code__startswith=STOCK_MARK)
            .exclude(code__startswith=FLOOR_MARK)
        )
        if foreign.exists() and not force:
            raise CommandError(
                "This database holds units the benchmark did not create. Run it on a database "
                "of its own, e.g. DATABASE_URL=postgis://postgres@127.0.0.1:5432/"
                "realestate_imports_bench make bench-import, or pass --force."
            )
        self.stdout.write(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
        roles_sync()
        root, agent, project, building = _setup()
        _flush()
        with tempfile.NamedTemporaryFile("w+", suffix=".csv", newline="", encoding="utf-8") as f:
            _write_csv(f, rows, project, building, agent)
            f.flush()
            import_s = _time_import(f.name, root)
            imported = Unit.objects.filter(code__startswith=MARK).count()
            if imported != rows:
                raise CommandError(f"The import wrote {imported} units, not {rows}.")
            self.stdout.write(f"Project import: {rows} rows in {import_s:.1f}s.")
            stock_rate = _time_stock(f.name, min(stock_rows, rows), project, building, agent)
            self.stdout.write(
                f"Stock ModelResource: {stock_rate:.0f} rows/s on a {min(stock_rows, rows)}-row "
                f"slice (extrapolated to {rows} rows: {rows / stock_rate:.0f}s)."
            )
            floor_rate = _time_floor(f.name, project, building, agent)
        _flush(marks=(STOCK_MARK, FLOOR_MARK))
        export_s = _time_export(root)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        _flush()
        rate = rows / import_s
        floor_text = f"{floor_rate:.0f}" if floor_rate else "n/a"
        if floor_rate:
            self.stdout.write(
                f"COPY floor: {floor_rate:.0f} rows/s; the import takes "
                f"{floor_rate / rate:.1f}x the floor's time; {rate / stock_rate:.0f}x stock."
            )
        self.stdout.write(
            f"import_rows={rows} import_s={import_s:.1f} rows_per_s={rate:.0f} "
            f"stock_rows_per_s={stock_rate:.0f} floor_rows_per_s={floor_text} "
            f"peak_rss_mb={peak:.0f} export_xlsx_s={export_s:.1f}"
        )


def _setup():
    User = get_user_model()
    root = User.objects.filter(username=f"{USERS}root").first() or User.objects.create_superuser(
        f"{USERS}root", f"{USERS}root@bench.invalid", None
    )
    agent = User.objects.filter(username=f"{USERS}agent").first() or User.objects.create_user(
        f"{USERS}agent", f"{USERS}agent@bench.invalid", None, is_staff=True
    )
    branch, _ = Branch.objects.get_or_create(
        code="bench-import", defaults={"name": "Bench", "city": "Dubai"}
    )
    Agent.objects.get_or_create(user=agent, defaults={"branch": branch})
    from django.contrib.gis.geos import Point

    project, _ = Project.objects.get_or_create(
        code="bench-import",
        defaults={"name": "Bench", "city": "Dubai", "location": Point(55.27, 25.2, srid=4326)},
    )
    building, _ = Building.objects.get_or_create(
        code="bench-import-t1", defaults={"project": project, "name": "T1", "floors": 60}
    )
    return root, agent, project, building


def _flush(marks=(MARK, STOCK_MARK, FLOOR_MARK)) -> None:
    from realestate.properties.models import UnitUserObjectPermission

    with transaction.atomic():
        for mark in marks:
            UnitUserObjectPermission.objects.filter(content_object__code__startswith=mark).delete()
            Unit.history.filter(code__startswith=mark)._raw_delete(connection.alias)
            Unit.objects.filter(code__startswith=mark)._raw_delete(connection.alias)


def _row(n: int) -> dict:
    return {
        "code": f"{MARK}{n:06d}",
        "unit_type": TYPES[n % 4],
        "purpose": "sale",
        "floor": n % 50,
        "bedrooms": n % 5,
        "bathrooms": 1 + n % 3,
        "area_sqm": Decimal(50 + n % 400) + Decimal("0.25"),
        "list_price": Decimal(500_000 + n * 10),
        "currency": "AED",
        "latitude": f"{25.0 + (n % 1000) / 10000:.6f}",
        "longitude": f"{55.0 + (n % 997) / 10000:.6f}",
        "description": f"Unit {n}, view {n % 7}",
    }


HEADERS = [
    "Code", "Project", "Building", "Unit type", "Purpose", "Floor", "Bedrooms", "Bathrooms",
    "Area (m²)", "List price", "Currency", "Latitude", "Longitude", "Agent", "Description",
]  # fmt: skip


def _write_csv(handle, rows: int, project, building, agent) -> None:
    writer = csv.writer(handle)
    writer.writerow(HEADERS)
    for n in range(rows):
        r = _row(n)
        # Every tenth unit is assigned to the agent, who then receives its grants.
        writer.writerow([
            r["code"], project.code, building.code, r["unit_type"], r["purpose"], r["floor"],
            r["bedrooms"], r["bathrooms"], r["area_sqm"], r["list_price"], r["currency"],
            r["latitude"], r["longitude"], agent.username if n % 10 == 0 else "",
            r["description"],
        ])  # fmt: skip


def _time_import(path: str, root) -> float:
    """Upload, check, confirm, import: what the admin does for a large file."""
    started = time.perf_counter()
    with open(path, "rb") as handle:
        upload = File(handle, name="units.csv")
        job = jobs.job_create(
            user=root,
            table="properties.unit",
            upload=upload,
            file_format="csv",
            mode=ImportJob.Mode.ALL_OR_NOTHING,
            encoding="auto",
        )
    jobs.import_job_run(job.pk, False)
    job.refresh_from_db()
    if job.status != ImportJob.Status.DONE or job.rows_invalid:
        raise CommandError(f"The check failed: {job.message} {job.report.get('errors', [])[:3]}")
    jobs.import_job_run(job.pk, True)
    job.refresh_from_db()
    if job.status != ImportJob.Status.DONE:
        raise CommandError(f"The import failed: {job.message}")
    return time.perf_counter() - started


def _time_stock(path: str, count: int, project, building, agent) -> float:
    dataset = tablib.Dataset(
        headers=[
            "id", "code", "project", "building", "unit_type", "purpose", "floor", "bedrooms",
            "bathrooms", "area_sqm", "list_price", "currency", "agent", "description",
        ]
    )  # fmt: skip
    for n in range(count):
        r = _row(n)
        dataset.append([
            "", STOCK_MARK + r["code"][len(MARK):], project.pk, building.pk, r["unit_type"],
            r["purpose"], r["floor"], r["bedrooms"], r["bathrooms"], r["area_sqm"],
            r["list_price"], r["currency"], agent.pk if n % 10 == 0 else "", r["description"],
        ])  # fmt: skip
    started = time.perf_counter()
    result = StockUnitResource().import_data(dataset, dry_run=False)
    elapsed = time.perf_counter() - started
    if result.has_errors() or result.has_validation_errors():
        raise CommandError("The stock resource refused the rows.")
    return count / elapsed


def _time_floor(path: str, project, building, agent) -> float | None:
    """COPY of the same rows (ids resolved, as COPY cannot look codes up)."""
    if connection.vendor != "postgresql":
        return None
    buffer = io.StringIO()
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        count = 0
        for cells in reader:
            code = FLOOR_MARK + cells[0][len(MARK) :]
            agent_id = str(agent.pk) if cells[13] else "\\N"
            point = f"SRID=4326;POINT({cells[12]} {cells[11]})"
            buffer.write(
                "\t".join([
                    code, str(project.pk), str(building.pk), cells[3], cells[4], "available",
                    cells[5], cells[6], cells[7], cells[8], cells[9], "\\N", cells[10], point,
                    agent_id, cells[14], "now()", "now()",
                ]) + "\n"
            )  # fmt: skip
            count += 1
    columns = (
        "code, project_id, building_id, unit_type, purpose, status, floor, bedrooms, bathrooms,"
        " area_sqm, list_price, monthly_rent, currency, location, agent_id, description,"
        " created_at, updated_at"
    )
    stamp = "2026-01-01 00:00:00+00"
    data = buffer.getvalue().replace("\tnow()\tnow()\n", f"\t{stamp}\t{stamp}\n")
    started = time.perf_counter()
    sql = f"COPY properties_unit ({columns}) FROM STDIN"
    with transaction.atomic(), connection.cursor() as cursor, cursor.copy(sql) as copy:
        copy.write(data)
    return count / (time.perf_counter() - started)


def _time_export(root) -> float:
    client = logged_in_client(root)
    url = reverse("admin:properties_unit_export")
    plain = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django_q.models import OrmQ

    from realestate.core.importing import export_jobs
    from realestate.core.models import ExportJob

    queued = OrmQ.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    started = time.perf_counter()
    with override_settings(STORAGES=plain, DEBUG=False):
        response = client.post(url, {"format": "1", "resource": "0"})
        if response.status_code == 302:
            # A large XLSX is built by a background job: run here what the cluster runs.
            job = ExportJob.objects.filter(user=root).latest("pk")
            export_jobs.export_job_run(job.pk)
            job.refresh_from_db()
            if job.status != ExportJob.Status.DONE:
                raise CommandError(f"The export job failed: {job.message}")
            size = job.file.size
            job.file.delete(save=False)
            job.delete()
        elif response.status_code == 200:
            size = sum(len(chunk) for chunk in response.streaming_content)
        else:
            raise CommandError(f"The export answered {response.status_code}.")
    elapsed = time.perf_counter() - started
    OrmQ.objects.filter(pk__gt=queued).delete()  # the task handed to the cluster, run above
    if size < 1000:
        raise CommandError("The export is empty.")
    return elapsed
