"""``bench_admin``: time the unit changelist at a million units against Django's stock admin.

Seeds ``--units`` units (1,000,000 by default) in one set-based ``INSERT … SELECT`` over
``generate_series`` (PostgreSQL; minutes, not the hours of the ORM one by one), spread over
40 projects, 400 buildings and 200 agents, all marked ``ADMIN-``. Then, as a superuser
through the test client in one process, it requests the project's unit changelist (plain,
filtered, searched) and the same list on a separate admin site where ``Unit`` is registered
with a plain ``admin.ModelAdmin`` showing the same columns, alternating the two, ``--runs``
times after a warm-up. The medians are printed; the last line is the result::

    admin_list_ms=61.2 stock_list_ms=70.8 admin_search_ms=35.0 page_kb=120.4

Run it on a database of its own (``make bench-admin``; PostGIS): it refuses a database
holding units, projects, buildings or users that it did not create, unless ``--force``.
Units seeded by an earlier run with the same ``--units`` are kept; ``--reseed`` replaces them.
"""

from __future__ import annotations

import statistics
import time
from types import ModuleType, SimpleNamespace

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import path, reverse
from unfold.sites import UnfoldAdminSite

from realestate.core.bench import get_ok, logged_in_client, refuse_foreign_data
from realestate.properties.choices import UnitPurpose, UnitStatus, UnitType
from realestate.properties.models import Building, Project, Unit

MARK = "ADMIN-"
USERS = "bench-admin-"
PROJECTS, BUILDINGS_PER_PROJECT, AGENTS = 40, 10, 200
AREAS = ["Marina", "Palm", "Downtown", "Business Bay", "Creek", "Hills", "Meadows", "Springs"]
#: Static files are not what is timed; the manifest storage would need ``collectstatic``.
PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STOCK_PREFIX = "bench-stock-admin/"


class StockUnitAdmin(admin.ModelAdmin):
    """Django's own changelist with the project's columns, search fields and page size. Like
    the project's admin, it selects the building's project too (neither page pays a query per
    row) and counts the rows once, not twice (``show_full_result_count``)."""

    list_display = [
        "code",
        "project",
        "building",
        "unit_type",
        "bedrooms",
        "area_sqm",
        "list_price",
        "status",
        "agent",
    ]
    list_select_related = ["project", "building__project", "agent"]
    search_fields = ["code", "project__name", "project__code", "building__code"]
    list_per_page = 50
    show_full_result_count = False


def stock_urlconf():
    """The project's URLs plus a plain admin site holding only ``StockUnitAdmin``."""
    from config import urls as project_urls

    # unfold's site, as the project's: its templates (which replace Django's) need its URLs.
    site = UnfoldAdminSite(name="bench_stock_admin")
    site.register(Unit, StockUnitAdmin)
    urlconf = ModuleType("bench_admin_urls")  # a module: the URL resolvers are cached by it
    urlconf.urlpatterns = [path(STOCK_PREFIX, site.urls), *project_urls.urlpatterns]
    for handler in ("handler403", "handler404", "handler500"):
        setattr(urlconf, handler, getattr(project_urls, handler))
    return urlconf


class Command(BaseCommand):
    help = "Benchmark the unit changelist at a million units against Django's stock admin."

    def add_arguments(self, parser):
        parser.add_argument(
            "--units", type=int, default=1_000_000, help="units to seed (default 1000000)"
        )
        parser.add_argument("--runs", type=int, default=10, help="timed requests per page")
        parser.add_argument(
            "--force",
            action="store_true",
            help="run even though the database holds other (non-bench) data",
        )
        parser.add_argument(
            "--reseed", action="store_true", help="seed afresh even if an earlier run's units fit"
        )
        parser.add_argument(
            "--explain",
            action="store_true",
            help="print EXPLAIN ANALYZE of the list, count and search queries",
        )

    def handle(self, *args, units, runs, force, reseed, explain, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_admin needs PostgreSQL (PostGIS), as in CI.")
        if units < 1000 or runs < 1:
            raise CommandError("Need --units >= 1000 and --runs >= 1.")
        root = units_seed(units=units, force=force, reseed=reseed, out=self.stdout)

        project = Project.objects.filter(code=f"{MARK.lower()}p07").get()
        pages = {
            "list": "",
            "filter": f"?status__exact={UnitStatus.AVAILABLE}&project__id__exact={project.pk}",
            "search": "?q=12345",  # a fragment of a unit code: a handful of units
            "search_project": "?q=Marina",  # a project name: a fifth of the units
        }
        admin_url = reverse("admin:properties_unit_changelist")
        with override_settings(STORAGES=PLAIN_STATIC, DEBUG=False, ROOT_URLCONF=stock_urlconf()):
            stock_url = reverse("bench_stock_admin:properties_unit_changelist")
            urls = {f"admin_{name}": admin_url + query for name, query in pages.items()}
            urls |= {f"stock_{name}": stock_url + query for name, query in pages.items()}
            times, sizes = _time(root, urls, runs)
            queries = {
                name: _queries(root, url)
                for name, url in urls.items()
                if name in ("admin_list", "stock_list", "admin_search")
            }
        if explain:
            self._explain([pages["search"][3:], pages["search_project"][3:]])

        ms = {name: statistics.median(values) for name, values in times.items()}
        for name in urls:
            self.stdout.write(
                f"{name}: {ms[name]:.1f} ms median (min {min(times[name]):.1f}),"
                f" {sizes[name] / 1024:.1f} KB"
                + (f", {queries[name]} queries" if name in queries else "")
            )
        self.stdout.write(
            f"admin_filter_ms={ms['admin_filter']:.1f} "
            f"stock_filter_ms={ms['stock_filter']:.1f} "
            f"admin_search_project_ms={ms['admin_search_project']:.1f} "
            f"stock_search_ms={ms['stock_search']:.1f} "
            f"stock_search_project_ms={ms['stock_search_project']:.1f} "
            f"stock_page_kb={sizes['stock_list'] / 1024:.1f}"
        )
        search = max(ms["admin_search"], ms["admin_search_project"])  # the slower of the two
        self.stdout.write(
            f"admin_list_ms={ms['admin_list']:.1f} "
            f"stock_list_ms={ms['stock_list']:.1f} "
            f"admin_search_ms={search:.1f} "
            f"page_kb={sizes['admin_list'] / 1024:.1f}"
        )

    def _explain(self, terms: list[str]) -> None:
        """The plans of the plain list, its count and a search, as the admin runs them."""
        User = get_user_model()
        root = User.objects.get(username=f"{USERS}root")
        request = SimpleNamespace(user=root)
        model_admin = admin.site._registry[Unit]
        listed = (
            model_admin.get_queryset(request)
            .select_related(*model_admin.list_select_related)
            .order_by("code", "-pk")
        )
        searches = [
            (f"search {term}", model_admin.get_search_results(request, listed, term)[0][:50])
            for term in terms
        ]
        for title, queryset in [("list", listed[:50]), *searches]:
            self.stdout.write(f"-- EXPLAIN ANALYZE {title}")
            self.stdout.write(queryset.explain(analyze=True))
        paginator = model_admin.get_paginator(request, listed, 50)
        started = time.perf_counter()
        count = paginator.count
        self.stdout.write(
            f"-- count of the plain list: {count} "
            f"({'estimated' if getattr(paginator, 'estimated', False) else 'exact'},"
            f" {(time.perf_counter() - started) * 1000:.1f} ms)"
        )
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN ANALYZE SELECT COUNT(*) FROM properties_unit")
            self.stdout.write("-- EXPLAIN ANALYZE exact count (the stock admin's)")
            self.stdout.write("\n".join(row[0] for row in cursor.fetchall()))


def units_seed(*, units: int, force: bool, reseed: bool, out):
    """The bench's superuser, projects, buildings, agents and ``units`` units: seeded, or kept
    from an earlier run with the same figure."""
    User = get_user_model()
    foreign = {
        "units": Unit.objects.exclude(code__startswith=MARK).count(),
        "projects": Project.objects.exclude(code__startswith=MARK.lower()).count(),
        "buildings": Building.objects.exclude(code__startswith=MARK.lower()).count(),
        "users": User.objects.exclude(username__startswith=USERS).count(),
    }
    refuse_foreign_data(
        foreign, force=force, database="realestate_admin", target="bench-admin", out=out
    )
    root = User.objects.filter(username=f"{USERS}root").first() or User.objects.create_superuser(
        f"{USERS}root", f"{USERS}root@bench.invalid", None
    )
    bench = Unit.objects.filter(code__startswith=MARK)
    if not reseed and bench.count() == units:
        out.write(f"Reusing the {units} units seeded earlier.")
        return root
    started = time.perf_counter()
    with transaction.atomic():
        Unit.objects.filter(code__startswith=MARK)._raw_delete(connection.alias)
        Building.objects.filter(code__startswith=MARK.lower())._raw_delete(connection.alias)
        Project.objects.filter(code__startswith=MARK.lower())._raw_delete(connection.alias)
        _seed_people_and_places()
        _seed_units(units)
    with connection.cursor() as cursor:
        for model in (Unit, Building, Project, User):
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    out.write(f"Seeded {units} units in {time.perf_counter() - started:.1f}s.")
    return root


def _seed_people_and_places() -> None:
    User = get_user_model()
    known = set(
        User.objects.filter(username__startswith=f"{USERS}agent").values_list("username", flat=True)
    )
    for n in range(1, AGENTS + 1):
        if (name := f"{USERS}agent{n:03d}") not in known:  # no password: they never log in
            User.objects.create_user(
                name,
                f"{name}@bench.invalid",
                None,
                is_staff=True,
                first_name="Agent",
                last_name=f"{n:03d}",
            )
    projects = Project.objects.bulk_create(
        [
            Project(
                code=f"{MARK.lower()}p{n:02d}",
                name=f"{AREAS[n % len(AREAS)]} Heights {n:02d}",
                city="Dubai",
                location="SRID=4326;POINT(55.27 25.2)",
            )
            for n in range(1, PROJECTS + 1)
        ]
    )
    Building.objects.bulk_create(
        [
            Building(
                project=project, code=f"{project.code}-b{n:02d}", name=f"Tower {n:02d}", floors=40
            )
            for project in projects
            for n in range(1, BUILDINGS_PER_PROJECT + 1)
        ]
    )


def _seed_units(count: int) -> None:
    """One ``INSERT … SELECT``: unit ``n`` of ``count`` gets a pseudo-random type, status,
    price and agent derived from ``n``; nine in ten stand in a building of a project."""
    User = get_user_model()
    buildings = list(
        Building.objects.filter(code__startswith=MARK.lower())
        .order_by("pk")
        .values_list("pk", "project_id")
    )
    agents = list(
        User.objects.filter(username__startswith=f"{USERS}agent")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    types = [UnitType.APARTMENT, UnitType.VILLA, UnitType.OFFICE, UnitType.SHOP]
    statuses = [
        UnitStatus.AVAILABLE,
        UnitStatus.AVAILABLE,
        UnitStatus.RESERVED,
        UnitStatus.SOLD,
        UnitStatus.OFF_MARKET,
    ]
    sql = f"""
        INSERT INTO {Unit._meta.db_table} (
            created_at, updated_at, code, unit_type, purpose, status, floor, bedrooms,
            bathrooms, area_sqm, list_price, monthly_rent, currency, description,
            agent_id, building_id, project_id)
        SELECT now(), now(), %(mark)s || lpad(n::text, 7, '0'),
               (%(types)s::text[])[1 + (n * 7) %% 4],
               %(purpose)s,
               (%(statuses)s::text[])[1 + (n * 13) %% 5],
               1 + n %% 40, n %% 5, 1 + n %% 3, 50 + (n * 17) %% 400,
               500000 + ((n * 7919) %% 4500) * 1000, NULL, 'AED', '',
               (%(agents)s::bigint[])[1 + (n * 31) %% %(agent_count)s],
               CASE WHEN n %% 10 = 0 THEN NULL
                    ELSE (%(buildings)s::bigint[])[1 + (n * 37) %% %(building_count)s] END,
               CASE WHEN n %% 10 = 0 THEN NULL
                    ELSE (%(projects)s::bigint[])[1 + (n * 37) %% %(building_count)s] END
        FROM generate_series(1::bigint, %(count)s) AS n
    """
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "mark": MARK,
                "types": [str(t) for t in types],
                "purpose": str(UnitPurpose.SALE),
                "statuses": [str(s) for s in statuses],
                "agents": agents,
                "agent_count": len(agents),
                "buildings": [pk for pk, _project in buildings],
                "projects": [project for _pk, project in buildings],
                "building_count": len(buildings),
                "count": count,
            },
        )


def _time(user, urls: dict[str, str], runs: int):
    """Each page ``runs`` times after a warm-up, the pages taking turns in every round."""
    client = logged_in_client(user)
    sizes = {name: len(get_ok(client, url).content) for name, url in urls.items()}  # warm-up
    times = {name: [] for name in urls}
    for _ in range(runs):
        for name, url in urls.items():
            started = time.perf_counter()
            get_ok(client, url)
            times[name].append((time.perf_counter() - started) * 1000)
    return times, sizes


def _queries(user, url: str) -> int:
    client = logged_in_client(user)
    get_ok(client, url)
    with CaptureQueriesContext(connection) as captured:
        get_ok(client, url)
    return len(captured)
