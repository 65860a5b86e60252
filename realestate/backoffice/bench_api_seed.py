"""The data of ``bench_api`` (see the command's docstring), seeded with set-based
``INSERT … SELECT`` statements over ``generate_series`` on PostgreSQL."""

from __future__ import annotations

import time
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import CommandError
from django.db import connection, transaction

from realestate.accounts.models import Agent, Branch
from realestate.accounts.roles import SALES_AGENT, roles_sync
from realestate.clients.models import Client
from realestate.core.bench import refuse_foreign_data
from realestate.core.dates import add_months
from realestate.core.permissions import ASSIGNMENT_ACTIONS, grants_changed, model_permission
from realestate.finance.models import Receivable
from realestate.leasing.models import Lease
from realestate.properties.models import (
    Building,
    Project,
    Unit,
    UnitGroupObjectPermission,
    UnitUserObjectPermission,
)

MARK = "API-"
USERS = "bench-api-"
AGENT, TENANT = f"{USERS}agent", f"{USERS}tenant"
PASSWORD = "bench-api-password"  # noqa: S105 - a throwaway database's bench logins
CLIENT_EMAIL = "@bench-api.invalid"
PROJECTS, BUILDINGS_PER_PROJECT, AGENTS = 40, 10, 100
#: One unit in this many is the bench agent's; one in ``LET_EVERY`` is let (up to --leases).
AGENT_EVERY, LET_EVERY = 100, 50
TENANT_LEASES, INVOICES_PER_LEASE = 4, 12
#: Dubai, roughly: where the units stand (longitude, latitude).
WEST, SOUTH, EAST, NORTH = 55.05, 24.95, 55.45, 25.30
#: Where the agent searches (``near``, 5 km): Downtown, the Marina, Deira, Al Barsha.
NEAR_POINTS = [(55.2708, 25.2048), (55.1403, 25.0805), (55.3047, 25.2697), (55.2002, 25.1124)]
AREAS = ["Marina", "Palm", "Downtown", "Business Bay", "Creek", "Hills", "Meadows", "Springs"]


def api_seed(*, units: int, leases: int, force: bool, reseed: bool, out) -> None:
    User = get_user_model()
    foreign = {
        "units": Unit.objects.exclude(code__startswith=MARK).count(),
        "clients": Client.objects.exclude(email__endswith=CLIENT_EMAIL).count(),
        "leases": Lease.objects.exclude(number__startswith=MARK).count(),
        "users": User.objects.exclude(username__startswith=USERS).count(),
    }
    refuse_foreign_data(
        foreign, force=force, database="realestate_benchapi", target="bench-api", out=out
    )
    roles_sync()
    agent, tenant = _users()
    bench = Unit.objects.filter(code__startswith=MARK)
    if (
        not reseed
        and bench.count() == units
        and bench.filter(agent=agent).count() == units // AGENT_EVERY
        and UnitUserObjectPermission.objects.filter(user=agent).count()
        == len(ASSIGNMENT_ACTIONS) * (units // AGENT_EVERY)
        and Lease.objects.filter(number__startswith=MARK).count() == leases
        and Receivable.objects.filter(number__startswith=MARK).count()
        == leases * INVOICES_PER_LEASE
    ):
        out.write(f"Reusing the {units} units and {leases} leases seeded earlier.")
        return
    started = time.perf_counter()
    with transaction.atomic():
        _flush()
        _seed_places()
        _seed_units(units, agent)
        _seed_grants(agent)
        _seed_leases(leases, tenant)
    grants_changed()
    _tidy()
    out.write(
        f"Seeded {units} units ({units // AGENT_EVERY} the agent's), {leases} leases and "
        f"{leases * INVOICES_PER_LEASE} invoices in {time.perf_counter() - started:.1f}s."
    )


def _users():
    User = get_user_model()
    agent = User.objects.filter(username=AGENT).first() or User.objects.create_user(
        AGENT, f"{AGENT}@bench.invalid", PASSWORD, is_staff=True
    )
    agent.groups.add(Group.objects.get(name=SALES_AGENT))
    branch, _created = Branch.objects.get_or_create(
        code=f"{USERS}branch", defaults={"name": "Bench branch", "city": "Dubai"}
    )
    Agent.objects.get_or_create(user=agent, defaults={"branch": branch})
    tenant = User.objects.filter(username=TENANT).first() or User.objects.create_user(
        TENANT, f"{TENANT}@bench.invalid", PASSWORD, is_staff=False
    )
    known = set(
        User.objects.filter(username__startswith=f"{USERS}other").values_list("username", flat=True)
    )
    User.objects.bulk_create(  # other agents, who never log in
        [
            User(username=name, email=f"{name}@bench.invalid", is_staff=True)
            for n in range(1, AGENTS + 1)
            if (name := f"{USERS}other{n:03d}") not in known
        ]
    )
    return agent, tenant


def _flush() -> None:
    using = connection.alias
    Receivable.objects.filter(number__startswith=MARK)._raw_delete(using)
    Lease.objects.filter(number__startswith=MARK)._raw_delete(using)
    Client.objects.filter(email__endswith=CLIENT_EMAIL)._raw_delete(using)
    for perm_model in (UnitUserObjectPermission, UnitGroupObjectPermission):
        perm_model.objects.filter(content_object__code__startswith=MARK)._raw_delete(using)
    Unit.objects.filter(code__startswith=MARK)._raw_delete(using)
    Building.objects.filter(code__startswith=MARK.lower())._raw_delete(using)
    Project.objects.filter(code__startswith=MARK.lower())._raw_delete(using)


def _seed_places() -> None:
    projects = Project.objects.bulk_create(
        [
            Project(
                code=f"{MARK.lower()}p{n:02d}",
                name=f"{AREAS[n % len(AREAS)]} Heights {n:02d}",
                city="Dubai",
                location=f"SRID=4326;POINT({WEST + (EAST - WEST) * n / PROJECTS} 25.15)",
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


def _seed_units(count: int, agent) -> None:
    """Unit ``n`` gets a type, status, price and place derived from ``n``; every hundredth is
    the bench agent's, every fiftieth (from the 25th) is let; nine in ten stand in a building."""
    User = get_user_model()
    buildings = list(
        Building.objects.filter(code__startswith=MARK.lower())
        .order_by("pk")
        .values_list("pk", "project_id")
    )
    others = list(
        User.objects.filter(username__startswith=f"{USERS}other")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sql = f"""
        INSERT INTO {Unit._meta.db_table} (
            created_at, updated_at, code, unit_type, purpose, status, floor, bedrooms,
            bathrooms, area_sqm, list_price, monthly_rent, currency, description,
            agent_id, building_id, project_id, location)
        SELECT now(), now(), %(mark)s || lpad(n::text, 7, '0'),
               (ARRAY['apartment', 'villa', 'office', 'shop'])[1 + (n * 7) %% 4],
               CASE WHEN n %% {LET_EVERY} = 25 THEN 'rent' ELSE 'sale' END,
               CASE WHEN n %% {LET_EVERY} = 25 THEN 'leased'
                    ELSE (ARRAY['available', 'available', 'reserved', 'sold', 'off_market'])
                         [1 + (n * 13) %% 5] END,
               1 + n %% 40, n %% 5, 1 + n %% 3, 50 + (n * 17) %% 400,
               CASE WHEN n %% {LET_EVERY} = 25 THEN NULL
                    ELSE 500000 + ((n * 7919) %% 4500) * 1000 END,
               CASE WHEN n %% {LET_EVERY} = 25 THEN 3000 + ((n * 31) %% 570) * 100 END,
               'AED', '',
               CASE WHEN n %% {AGENT_EVERY} = 0 THEN %(agent)s
                    ELSE (%(others)s::bigint[])[1 + (n * 31) %% %(other_count)s] END,
               CASE WHEN n %% 10 = 0 THEN NULL
                    ELSE (%(buildings)s::bigint[])[1 + (n * 37) %% %(building_count)s] END,
               CASE WHEN n %% 10 = 0 THEN NULL
                    ELSE (%(projects)s::bigint[])[1 + (n * 37) %% %(building_count)s] END,
               ST_SetSRID(ST_MakePoint(
                   {WEST} + {EAST - WEST} * (((n * 7919) %% 100003) / 100003.0),
                   {SOUTH} + {NORTH - SOUTH} * (((n * 104729) %% 99991) / 99991.0)), 4326)
        FROM generate_series(1::bigint, %(count)s) AS n
    """
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "mark": MARK,
                "agent": agent.pk,
                "others": others,
                "other_count": len(others),
                "buildings": [pk for pk, _project in buildings],
                "projects": [project for _pk, project in buildings],
                "building_count": len(buildings),
                "count": count,
            },
        )


def _seed_grants(agent) -> None:
    """The agent's view and change grants on the units assigned to them, as an assignment
    makes them (``grants_bulk_assign``), in one statement per permission."""
    table = UnitUserObjectPermission._meta.db_table
    with connection.cursor() as cursor:
        for action in ASSIGNMENT_ACTIONS:
            cursor.execute(
                f"""INSERT INTO {table} (user_id, permission_id, content_object_id)
                    SELECT %s, %s, id FROM {Unit._meta.db_table}
                    WHERE agent_id = %s AND code LIKE %s""",
                [agent.pk, model_permission(Unit, action).pk, agent.pk, f"{MARK}%"],
            )


def _seed_leases(count: int, tenant_user) -> None:
    """``count`` let units' tenants and active leases, each with its 12 monthly rent invoices
    (the past ones paid, the current one open); the first ``TENANT_LEASES`` leases are the
    portal tenant's."""
    today = date.today()
    first_month = add_months(today.replace(day=1), -(INVOICES_PER_LEASE - 1))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {Client._meta.db_table} (
                    created_at, updated_at, kind, name, email, phone, id_type, id_number,
                    nationality, address, source, notes, portal_user_id, code)
                SELECT now(), now(), 'individual', 'Bench Tenant ' || lpad(n::text, 5, '0'),
                       'tenant' || n || %s, '', '', '', '', '', 'other', '',
                       CASE WHEN n = 1 THEN %s END, %s || lpad(n::text, 6, '0')
                FROM generate_series(1, %s) AS n""",
            [CLIENT_EMAIL, tenant_user.pk, MARK + "CL-", count],
        )
        cursor.execute(
            f"""INSERT INTO {Lease._meta.db_table} (
                    created_at, updated_at, number, start_date, end_date, term_type,
                    monthly_rent, currency, billing_frequency, billing_day, deposit_amount,
                    escalation_percent, status, termination_reason, notes, tenant_id, unit_id)
                SELECT now(), now(), %(mark)s || lpad(l.n::text, 6, '0'), %(start)s,
                       %(start)s::date + interval '2 years' - interval '1 day', 'fixed',
                       u.monthly_rent, 'AED', 'monthly', 1, u.monthly_rent, 0, 'active', '',
                       '', c.id, u.id
                FROM (SELECT id, monthly_rent, row_number() OVER (ORDER BY code) AS n
                      FROM {Unit._meta.db_table}
                      WHERE code LIKE %(like)s AND status = 'leased') AS u
                JOIN generate_series(1, %(count)s) AS l(n) ON l.n = u.n
                JOIN {Client._meta.db_table} AS c
                  ON c.email = 'tenant' || CASE WHEN l.n <= %(tenant_leases)s THEN 1
                                                ELSE l.n END || %(email)s""",
            {
                "mark": MARK,
                "start": first_month,
                "like": f"{MARK}%",
                "count": count,
                "tenant_leases": TENANT_LEASES,
                "email": CLIENT_EMAIL,
            },
        )
        cursor.execute(
            f"""INSERT INTO {Receivable._meta.db_table} (
                    created_at, updated_at, number, kind, description, currency, issue_date,
                    due_date, amount, amount_paid, status, client_id, lease_id, unit_id)
                SELECT now(), now(),
                       %(mark)s || substr(l.number, 5) || '-' || lpad(m::text, 2, '0'),
                       'rent', 'Rent ' || to_char(d, 'YYYY-MM'), 'AED', d, d, l.monthly_rent,
                       CASE WHEN m < %(months)s - 1 THEN l.monthly_rent ELSE 0 END,
                       CASE WHEN m < %(months)s - 1 THEN 'paid' ELSE 'open' END,
                       l.tenant_id, l.id, l.unit_id
                FROM {Lease._meta.db_table} AS l
                CROSS JOIN generate_series(0, %(months)s - 1) AS m
                CROSS JOIN LATERAL (SELECT (l.start_date + m * interval '1 month')::date AS d) AS x
                WHERE l.number LIKE %(like)s""",
            {"mark": MARK, "months": INVOICES_PER_LEASE, "like": f"{MARK}%"},
        )
        inserted = cursor.rowcount
    if inserted != count * INVOICES_PER_LEASE:
        raise CommandError(
            f"Seeded {inserted} invoices for {count} leases: fewer let units than --leases?"
        )


def _tidy() -> None:
    models = (Unit, UnitUserObjectPermission, Building, Project, Client, Lease, Receivable)
    with connection.cursor() as cursor:
        for model in (*models, get_user_model()):
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
