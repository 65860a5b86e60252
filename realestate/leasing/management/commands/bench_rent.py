"""``bench_rent``: time the monthly rent job over many active leases.

Seeds ``--leases`` active leases (100,000 by default) with bulk inserts (one unit and one
tenant each; the services would take far too long), then times one run of
``leasing.services.rent_invoices_issue`` for the current month and an immediate second run,
which must find nothing left to invoice. The last line of output is the result::

    rent_first_run_s=8.41 rent_created=90012 rent_rerun_created=0

Run it on a database of its own (``make bench-rent``; PostGIS, as in CI): it refuses a
database holding units, clients or leases that it did not create, unless ``--force``. The
rows of an earlier run (codes starting ``BENCH-``) are deleted first, so it can run again;
leases seeded earlier the same day with the same ``--leases`` and ``--seed`` are kept (only
their rent is deleted), which saves the minute that deleting and seeding 100,000 take.
"""

from __future__ import annotations

import cProfile
import random
import time
from datetime import timedelta
from decimal import Decimal

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from realestate.clients.choices import ClientKind, ClientSource
from realestate.clients.models import Client
from realestate.core.bench import refuse_foreign_data
from realestate.core.dates import add_months, month_start
from realestate.finance.models import Receivable
from realestate.leasing import services
from realestate.leasing.choices import BillingFrequency, LeaseStatus, TermType
from realestate.leasing.models import Lease, RentCharge
from realestate.properties.choices import UnitPurpose, UnitStatus, UnitType
from realestate.properties.models import Unit

MARK = "BENCH-"
BATCH = 5000


class Command(BaseCommand):
    help = "Benchmark the monthly rent job over many active leases (on a dedicated database)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--leases", type=int, default=100_000, help="active leases to seed (default 100000)"
        )
        parser.add_argument("--seed", type=int, default=2026, help="random seed")
        parser.add_argument(
            "--force",
            action="store_true",
            help="run even though the database holds other (non-bench) data",
        )
        parser.add_argument(
            "--reseed",
            action="store_true",
            help="seed afresh even if today's leases from an earlier run fit",
        )
        parser.add_argument(
            "--profile", metavar="FILE", help="write cProfile stats of the first run to FILE"
        )

    def handle(self, *args, leases, seed, force, reseed, profile, **options):
        if leases < 1:
            raise CommandError("--leases must be at least 1.")
        foreign = {
            "units": Unit.objects.exclude(code__startswith=MARK).count(),
            "clients": Client.objects.exclude(email__endswith="@bench.invalid").count(),
            "leases": Lease.objects.exclude(number__startswith=MARK).count(),
        }
        refuse_foreign_data(
            foreign, force=force, database="realestate_bench", target="bench-rent", out=self.stdout
        )
        today = timezone.localdate()
        tag = f"bench_rent --seed {seed} on {today}"
        bench = Lease.objects.filter(number__startswith=MARK)
        started = time.perf_counter()
        if (
            not reseed
            and bench.count() == leases
            and not bench.exclude(notes=tag, status=LeaseStatus.ACTIVE).exists()
        ):
            # Seeded earlier today with the same settings: only the rent goes.
            _flush(leases_too=False)
            self.stdout.write(
                f"Reusing the {leases} leases seeded earlier today; their rent "
                f"charges and invoices removed "
                f"({time.perf_counter() - started:.1f}s)."
            )
        else:
            removed = _flush(leases_too=True)
            if removed:
                self.stdout.write(
                    f"Removed an earlier run's {removed} leases "
                    f"({time.perf_counter() - started:.1f}s)."
                )
            started = time.perf_counter()
            _seed(random.Random(seed), leases, tag)
            self.stdout.write(
                f"Seeded {leases} active leases in {time.perf_counter() - started:.1f}s."
            )

        _tidy()
        month = month_start(today)
        profiler = cProfile.Profile() if profile else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        created = services.rent_invoices_issue(month=month)
        first_run = time.perf_counter() - started
        if profiler:
            profiler.disable()
            profiler.dump_stats(profile)
            self.stdout.write(f"Profile of the first run written to {profile}.")
        started = time.perf_counter()
        rerun = services.rent_invoices_issue(month=month)
        self.stdout.write(f"Re-run took {time.perf_counter() - started:.2f}s.")
        self.stdout.write(
            f"rent_first_run_s={first_run:.2f} rent_created={created} rent_rerun_created={rerun}"
        )


def _flush(*, leases_too: bool) -> int:
    """Delete the rent an earlier run issued and, with ``leases_too``, everything it created,
    with plain DELETEs (no per-row collection). Returns the number of leases deleted."""
    using = connection.alias
    count = 0
    with transaction.atomic():
        leases = Lease.objects.filter(number__startswith=MARK)
        # The messages about rent invoices (a dedicated database: all the bench's), then the
        # invoices (and any late fees charged on them, which carry the lease too).
        # By name: leasing does not import notifications (it sits above the domain apps).
        Notification = apps.get_model("notifications", "Notification")
        Delivery = apps.get_model("notifications", "Delivery")
        about = Notification.objects.filter(
            content_type=ContentType.objects.get_for_model(Receivable)
        )
        Delivery.objects.filter(notification__in=about)._raw_delete(using)
        about._raw_delete(using)
        Receivable.objects.filter(lease__number__startswith=MARK)._raw_delete(using)
        RentCharge.objects.filter(lease__number__startswith=MARK)._raw_delete(using)
        if leases_too:
            count = leases.count()
            leases._raw_delete(using)
            Unit.objects.filter(code__startswith=MARK)._raw_delete(using)
            Client.objects.filter(email__endswith="@bench.invalid")._raw_delete(using)
    return count


def _tidy() -> None:
    """On PostgreSQL, vacuum and analyse what the deletes and inserts above touched, as
    autovacuum would in time: the timing is then of the job, not of this command's dead rows
    or missing planner statistics."""
    if connection.vendor != "postgresql":
        return
    notifications = [apps.get_model("notifications", name) for name in ("Notification", "Delivery")]
    tables = [
        model._meta.db_table
        for model in (Unit, Client, Lease, RentCharge, Receivable, *notifications)
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table)}")


def _seed(rng: random.Random, count: int, tag: str) -> None:
    """``count`` leased units, tenants and active leases: started over the past two years,
    mostly billed monthly (some quarterly) on days 1–28, fixed, rolling or periodic."""
    today = timezone.localdate()
    with transaction.atomic():
        for first in range(0, count, BATCH):
            numbers = range(first + 1, min(first + BATCH, count) + 1)
            rents = [Decimal(rng.randrange(3000, 60000, 50)) for _ in numbers]
            units = Unit.objects.bulk_create(
                [
                    Unit(
                        code=f"{MARK}{n:07d}",
                        unit_type=UnitType.APARTMENT,
                        purpose=UnitPurpose.RENT,
                        status=UnitStatus.LEASED,
                        bedrooms=rng.randint(0, 4),
                        bathrooms=1,
                        area_sqm=Decimal("85.00"),
                        monthly_rent=rent,
                        currency="AED",
                    )
                    for n, rent in zip(numbers, rents, strict=True)
                ]
            )
            tenants = Client.objects.bulk_create(
                [
                    Client(
                        code=f"BENCH-T{n:07d}",
                        kind=ClientKind.INDIVIDUAL,
                        name=f"Bench Tenant {n:07d}",
                        email=f"tenant{n}@bench.invalid",
                        source=ClientSource.OTHER,
                    )
                    for n in numbers
                ]
            )
            if any(u.pk is None for u in units) or any(c.pk is None for c in tenants):
                raise CommandError("This database does not return ids from bulk inserts.")
            batch = []
            for n, unit, tenant, rent in zip(numbers, units, tenants, rents, strict=True):
                start = today - timedelta(days=rng.randint(0, 700))
                term = rng.choices(
                    [TermType.FIXED, TermType.ROLLOVER, TermType.PERIODIC], [7, 1, 2]
                )[0]
                end = (
                    None if term == TermType.PERIODIC else add_months(start, 24) - timedelta(days=1)
                )
                batch.append(
                    Lease(
                        number=f"{MARK}{n:07d}",
                        unit=unit,
                        tenant=tenant,
                        start_date=start,
                        end_date=end,
                        term_type=term,
                        monthly_rent=rent,
                        currency="AED",
                        billing_frequency=rng.choices(
                            [BillingFrequency.MONTHLY, BillingFrequency.QUARTERLY], [85, 15]
                        )[0],
                        billing_day=rng.randint(1, 28),
                        deposit_amount=rent,
                        escalation_percent=rng.choice(
                            [Decimal("0"), Decimal("0"), Decimal("5.00")]
                        ),
                        status=LeaseStatus.ACTIVE,
                        notes=tag,
                    )
                )
            Lease.objects.bulk_create(batch)
