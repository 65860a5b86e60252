"""``bench_scope``: time the unit changelist, unscoped and scoped by object grants.

Seeds ``--units`` units (100,000 by default) with bulk inserts and one sales agent holding
object grants (view and change, through ``grants_bulk_assign``) on ``--grants`` of them
(10,000 by default, every tenth unit), then requests ``/admin/properties/unit/`` through the
test client ``--runs`` times as a superuser and as the agent, after a warm-up request each.
The scoped request's queries are counted, and counted again on a page of a few rows: the
count must not grow with the rows. The last line of output is the result::

    unscoped_changelist_ms=61.2 scoped_changelist_ms=66.8 scoped_queries=9

Run it on a database of its own (``make bench-scope``; PostGIS, as in CI): it refuses a
database holding units or users that it did not create, unless ``--force``. Data seeded by an
earlier run with the same ``--units`` and ``--grants`` is kept; otherwise it is replaced.
"""

from __future__ import annotations

import random
import statistics
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from realestate.accounts.roles import SALES_AGENT, roles_sync
from realestate.core.bench import get_ok, logged_in_client, refuse_foreign_data
from realestate.core.permissions import grants_bulk_assign
from realestate.properties.choices import UnitPurpose, UnitStatus, UnitType
from realestate.properties.models import Unit, UnitGroupObjectPermission, UnitUserObjectPermission

MARK = "SCOPE-"
USERS = "bench-scope-"
BATCH = 5000
#: Static files are not what is timed; the manifest storage would need ``collectstatic``.
PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


class Command(BaseCommand):
    help = "Benchmark the unit changelist, unscoped and scoped by object grants."

    def add_arguments(self, parser):
        parser.add_argument(
            "--units", type=int, default=100_000, help="units to seed (default 100000)"
        )
        parser.add_argument(
            "--grants", type=int, default=10_000, help="units granted to the agent (default 10000)"
        )
        parser.add_argument("--runs", type=int, default=15, help="timed requests per user")
        parser.add_argument("--seed", type=int, default=2026, help="random seed")
        parser.add_argument(
            "--force",
            action="store_true",
            help="run even though the database holds other (non-bench) data",
        )
        parser.add_argument(
            "--reseed", action="store_true", help="seed afresh even if an earlier run's data fits"
        )

    def handle(self, *args, units, grants, runs, seed, force, reseed, **options):
        if units < 1 or not 1 <= grants <= units or runs < 1:
            raise CommandError("Need --units >= 1, 1 <= --grants <= --units and --runs >= 1.")
        root, agent = units_seed(
            units=units, grants=grants, seed=seed, force=force, reseed=reseed, out=self.stdout
        )

        url = reverse("admin:properties_unit_changelist")
        with override_settings(STORAGES=PLAIN_STATIC, DEBUG=False):
            unscoped = _time(root, url, runs)
            scoped = _time(agent, url, runs)
            queries, rows = _queries(agent, url)
            # A few rows by a filter: a search would add queries of its own (the unit list
            # looks projects and buildings up first, see core.changelist), not per row.
            price = (
                Unit.objects.filter(agent=agent)
                .order_by("code")
                .values_list("list_price", flat=True)[0]
            )
            few_queries, few_rows = _queries(
                agent, f"{url}?list_price_from={price}&list_price_to={price}"
            )
        self.stdout.write(
            f"Scoped page: {queries} queries for {rows} rows; "
            f"{few_queries} queries for {few_rows} rows."
        )
        if queries != few_queries:
            self.stderr.write("The scoped page's query count grows with its rows.")
        ratio = statistics.median(scoped) / statistics.median(unscoped)
        self.stdout.write(f"Scoped/unscoped: {ratio:.2f} (target 1.5 or less).")
        self.stdout.write(
            f"unscoped_changelist_ms={statistics.median(unscoped):.1f} "
            f"scoped_changelist_ms={statistics.median(scoped):.1f} "
            f"scoped_queries={queries}"
        )


def units_seed(*, units: int, grants: int, seed: int, force: bool, reseed: bool, out):
    """The bench's superuser and agent, and ``units`` units, ``grants`` of them assigned and
    granted to the agent: seeded, or kept from an earlier run with the same figures."""
    User = get_user_model()
    foreign = {
        "units": Unit.objects.exclude(code__startswith=MARK).count(),
        "users": User.objects.exclude(username__startswith=USERS).count(),
    }
    refuse_foreign_data(
        foreign, force=force, database="realestate_scope", target="bench-scope", out=out
    )
    roles_sync()
    root, agent = _users()
    started = time.perf_counter()
    bench = Unit.objects.filter(code__startswith=MARK)
    granted = UnitUserObjectPermission.objects.filter(user=agent)
    if (
        not reseed
        and bench.count() == units
        and bench.filter(agent=agent).count() == grants
        and granted.count() == 2 * grants
    ):
        out.write(f"Reusing the {units} units and {grants} grants seeded earlier.")
    else:
        _flush()
        _seed(random.Random(seed), units, grants, agent)
        out.write(
            f"Seeded {units} units, {grants} granted to the agent, in "
            f"{time.perf_counter() - started:.1f}s."
        )
    _tidy()
    return root, agent


def _users():
    User = get_user_model()
    root = User.objects.filter(username=f"{USERS}root").first() or User.objects.create_superuser(
        f"{USERS}root", f"{USERS}root@bench.invalid", None
    )
    agent = User.objects.filter(username=f"{USERS}agent").first() or User.objects.create_user(
        f"{USERS}agent", f"{USERS}agent@bench.invalid", None, is_staff=True
    )
    agent.groups.add(Group.objects.get(name=SALES_AGENT))
    return root, agent


def _time(user, url: str, runs: int) -> list[float]:
    client = logged_in_client(user)
    get_ok(client, url)  # warm-up: first-request caches, connection, templates
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        get_ok(client, url)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _queries(user, url: str) -> tuple[int, int]:
    client = logged_in_client(user)
    get_ok(client, url)  # the session and per-process caches, as in the timed runs
    with CaptureQueriesContext(connection) as captured:
        response = get_ok(client, url)
    # Rows on the page: one selection checkbox each (the test client's context needs the
    # test environment's instrumented templates, which would slow the timed runs).
    return len(captured), response.content.count(b'name="_selected_action"')


def _flush() -> None:
    using = connection.alias
    with transaction.atomic():
        for perm_model in (UnitUserObjectPermission, UnitGroupObjectPermission):
            perm_model.objects.filter(content_object__code__startswith=MARK)._raw_delete(using)
        Unit.objects.filter(code__startswith=MARK)._raw_delete(using)


def _tidy() -> None:
    """On PostgreSQL, vacuum and analyse the seeded tables, as autovacuum would in time."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Unit, UnitUserObjectPermission, UnitGroupObjectPermission):
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _seed(rng: random.Random, count: int, grants: int, agent) -> None:
    """``count`` units; ``grants`` of them, spread evenly, assigned and granted to ``agent``."""
    step = count // grants
    types = [UnitType.APARTMENT, UnitType.VILLA, UnitType.OFFICE, UnitType.SHOP]
    with transaction.atomic():
        granted = []
        for first in range(0, count, BATCH):
            numbers = range(first + 1, min(first + BATCH, count) + 1)
            units = Unit.objects.bulk_create(
                [
                    Unit(
                        code=f"{MARK}{n:07d}",
                        unit_type=rng.choice(types),
                        purpose=UnitPurpose.SALE,
                        status=UnitStatus.AVAILABLE,
                        bedrooms=rng.randint(0, 4),
                        bathrooms=1,
                        area_sqm=Decimal("85.00"),
                        list_price=Decimal(rng.randrange(500_000, 5_000_000, 1000)),
                        currency="AED",
                        agent=agent if n % step == 0 and n // step <= grants else None,
                    )
                    for n in numbers
                ]
            )
            if any(unit.pk is None for unit in units):
                raise CommandError("This database does not return ids from bulk inserts.")
            granted += [(unit.pk, agent) for unit in units if unit.agent_id]
        grants_bulk_assign(Unit, granted)
