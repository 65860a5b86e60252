"""``bench_reminders``: time the daily reminders job over many open receivables and leases.

Seeds (PostgreSQL, set-based ``INSERT … SELECT`` over ``generate_series``; under a minute):
``--contracts`` signed sale contracts (10,000) with six open instalments each, due from 75
days ago to 104 days ahead; ``--leases`` active leases (20,000) ending over the next year,
each with two open rent invoices (due 40 to 13 days ago, and 10 days ago to 17 ahead) and
five paid ones: 100,000 open receivables (and 100,000 paid) by default, about half of them
3 days or more past due. Every unit stands in a project whose property manager is told of
its leases ending; the buyers' agent has 2,000 follow-ups due today, 1,000 viewings tomorrow
and 500 clients' identity documents expiring within 30 days.

Then it times ``notifications.reminders.reminders_daily`` (every daily reminder, messages
and deliveries written) and runs it again at once: the second run must write nothing. The
last line is the result::

    reminders_s=4.83 messages_queued=64033 rerun_queued=0

Run it on a database of its own (``make bench-reminders``; PostGIS): it refuses a database
holding units, clients, leases or users it did not create, unless ``--force``. Data seeded
earlier the same day with the same figures is kept (only the messages go); ``--reseed``
replaces it. ``--explain`` prints EXPLAIN ANALYZE of the heaviest queries (the overdue
receivables' first chunk, and the look-up of its keys among the messages written).
"""

from __future__ import annotations

import cProfile
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from realestate.clients.models import Client, Lead, Viewing
from realestate.core.bench import refuse_foreign_data
from realestate.finance.models import Receivable
from realestate.leasing.models import Lease
from realestate.notifications import reminders, services
from realestate.notifications.models import Delivery, Notification
from realestate.properties.models import Project, Unit
from realestate.sales.models import SaleContract

MARK = "REM-"
USERS = "bench-rem-"
AGENT, MANAGER = f"{USERS}agent", f"{USERS}manager"
CLIENT_EMAIL = "@bench-rem.invalid"
INSTALMENTS, OPEN_RENT, PAID_RENT = 6, 2, 5
FOLLOW_UPS, VIEWINGS, ID_EXPIRING = 2000, 1000, 500


class Command(BaseCommand):
    help = "Benchmark the daily reminders job (100,000 open receivables, 20,000 leases)."

    def add_arguments(self, parser):
        parser.add_argument("--contracts", type=int, default=10_000)
        parser.add_argument("--leases", type=int, default=20_000)
        parser.add_argument("--force", action="store_true", help="run beside other data")
        parser.add_argument("--reseed", action="store_true", help="seed afresh")
        parser.add_argument(
            "--explain", action="store_true", help="EXPLAIN ANALYZE the heaviest query"
        )
        parser.add_argument(
            "--profile", metavar="FILE", help="write cProfile stats of the first run to FILE"
        )

    def handle(self, *args, contracts, leases, force, reseed, explain, profile, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_reminders seeds with PostgreSQL's generate_series.")
        if contracts < 1 or leases < 1:
            raise CommandError("--contracts and --leases must be at least 1.")
        User = get_user_model()
        foreign = {
            "units": Unit.objects.exclude(code__startswith=MARK).count(),
            "clients": Client.objects.exclude(email__endswith=CLIENT_EMAIL).count(),
            "leases": Lease.objects.exclude(number__startswith=MARK).count(),
            "users": User.objects.exclude(username__startswith=USERS).count(),
        }
        refuse_foreign_data(
            foreign,
            force=force,
            database="realestate_benchrem",
            target="bench-reminders",
            out=self.stdout,
        )
        today = timezone.localdate()
        tag = f"bench_reminders {contracts} {leases} on {today}"
        started = time.perf_counter()
        _messages_flush()
        if not reseed and Project.objects.filter(code=f"{MARK.lower()}p", description=tag).exists():
            self.stdout.write(f"Reusing the data seeded earlier today ({tag}).")
        else:
            with transaction.atomic():
                _flush()
                _seed(contracts, leases, today, tag)
            self.stdout.write(
                f"Seeded {contracts} contracts, {leases} leases and "
                f"{contracts * INSTALMENTS + leases * OPEN_RENT} open receivables in "
                f"{time.perf_counter() - started:.1f}s."
            )
        _tidy()
        open_count = reminders.open_receivables().count()
        self.stdout.write(f"Open receivables: {open_count}; leases: {Lease.objects.count()}.")
        if explain:
            self._explain(today)

        profiler = cProfile.Profile() if profile else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        first = reminders.reminders_daily(today)
        elapsed = time.perf_counter() - started
        if profiler:
            profiler.disable()
            profiler.dump_stats(profile)
            self.stdout.write(f"Profile of the first run written to {profile}.")
        self.stdout.write(
            "First run: "
            + ", ".join(f"{name} {count}" for name, count in first.items())
            + f"; {Delivery.objects.count()} deliveries queued."
        )
        if explain:
            self._explain_keys()
        started = time.perf_counter()
        rerun = reminders.reminders_daily(today)
        self.stdout.write(f"Re-run took {time.perf_counter() - started:.2f}s.")
        self.stdout.write(
            f"reminders_s={elapsed:.2f} messages_queued={sum(first.values())} "
            f"rerun_queued={sum(rerun.values())}"
        )

    def _explain(self, today) -> None:
        query = reminders.overdue_receivables(today, settings.OVERDUE_REMINDER_DAYS)
        page = query.order_by("pk").values_list("pk", "step_name", "client__name")[
            : reminders.CHUNK
        ]
        self._plan("the overdue receivables' first chunk", page)

    def _explain_keys(self) -> None:
        keys = list(
            Notification.objects.order_by("pk").values_list("key", flat=True)[: services.CHUNK]
        )
        lookup = Notification.objects.filter(key__in=keys).order_by().values_list("key", flat=True)
        self._plan("a chunk's keys looked up among the messages written", lookup)

    def _plan(self, what: str, queryset) -> None:
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plan = [row[0] for row in cursor.fetchall()]
        self.stdout.write(f"Plan of {what}:")
        for line in plan:
            if len(line) > 160:
                line = line[:157] + "..."
            self.stdout.write(f"  {line}")


def _messages_flush() -> None:
    """The messages of an earlier run go (a dedicated database: they are all the bench's)."""
    using = connection.alias
    with transaction.atomic():
        Delivery.objects.all()._raw_delete(using)
        Notification.objects.all()._raw_delete(using)


def _flush() -> None:
    using = connection.alias
    Viewing.objects.filter(unit__code__startswith=MARK)._raw_delete(using)
    Lead.objects.filter(code__startswith=MARK)._raw_delete(using)
    Receivable.objects.filter(number__startswith=MARK)._raw_delete(using)
    Lease.objects.filter(number__startswith=MARK)._raw_delete(using)
    SaleContract.objects.filter(number__startswith=MARK)._raw_delete(using)
    Client.objects.filter(email__endswith=CLIENT_EMAIL)._raw_delete(using)
    Unit.objects.filter(code__startswith=MARK)._raw_delete(using)
    Project.objects.filter(code__startswith=MARK.lower())._raw_delete(using)


def _users():
    User = get_user_model()
    made = {}
    for username, first in ((AGENT, "Bench"), (MANAGER, "Portfolio")):
        made[username] = User.objects.filter(username=username).first() or User.objects.create(
            username=username,
            email=f"{username}@bench.invalid",
            first_name=first,
            last_name="User",
            is_staff=True,
        )
    return made[AGENT], made[MANAGER]


def _seed(contracts: int, leases: int, today, tag: str) -> None:
    agent, manager = _users()
    project = Project.objects.create(
        code=f"{MARK.lower()}p",
        name="Reminders Heights",
        city="Dubai",
        location="SRID=4326;POINT(55.27 25.20)",
        manager=manager,
        description=tag,
    )
    tables = {
        model: connection.ops.quote_name(model._meta.db_table)
        for model in (Unit, Client, Lease, SaleContract, Receivable, Lead, Viewing)
    }
    p = {
        "mark": MARK,
        "like": f"{MARK}%",
        "email": CLIENT_EMAIL,
        "project": project.pk,
        "agent": agent.pk,
        "contracts": contracts,
        "leases": leases,
        "today": today,
        "tomorrow": today + timedelta(days=1),
        "instalments": INSTALMENTS,
        "open_rent": OPEN_RENT,
        "paid_rent": PAID_RENT,
        "follow_ups": min(FOLLOW_UPS, contracts),
        "viewings": min(VIEWINGS, contracts),
        "id_expiring": min(ID_EXPIRING, contracts),
    }
    statements = [
        # Units: the contracts' (sale, sold) then the leases' (rent, leased).
        f"""INSERT INTO {tables[Unit]} (
                created_at, updated_at, code, unit_type, purpose, status, bedrooms, bathrooms,
                area_sqm, list_price, monthly_rent, currency, description, project_id)
            SELECT now(), now(), %(mark)s || CASE WHEN n <= %(contracts)s THEN 'S' ELSE 'L' END
                       || lpad(n::text, 7, '0'),
                   'apartment',
                   CASE WHEN n <= %(contracts)s THEN 'sale' ELSE 'rent' END,
                   CASE WHEN n <= %(contracts)s THEN 'sold' ELSE 'leased' END,
                   n %% 5, 1 + n %% 3, 50 + (n * 17) %% 400,
                   CASE WHEN n <= %(contracts)s THEN 900000 + (n %% 900) * 1000 END,
                   CASE WHEN n > %(contracts)s THEN 3000 + (n %% 570) * 100 END,
                   'AED', '', %(project)s
            FROM generate_series(1, %(contracts)s + %(leases)s) AS n""",
        # Clients: buyers (the agent's; a few with a passport expiring) then tenants.
        f"""INSERT INTO {tables[Client]} (
                created_at, updated_at, code, kind, name, email, phone, id_type, id_number,
                id_expiry, nationality, address, source, notes, agent_id)
            SELECT now(), now(), %(mark)s || 'C' || lpad(n::text, 7, '0'), 'individual',
                   'Bench Client ' || lpad(n::text, 7, '0'), 'client' || n || %(email)s,
                   '+97150' || lpad(n::text, 7, '0'),
                   CASE WHEN n <= %(id_expiring)s THEN 'passport' ELSE '' END,
                   CASE WHEN n <= %(id_expiring)s THEN 'REMP' || n ELSE '' END,
                   CASE WHEN n <= %(id_expiring)s THEN %(today)s::date + n %% 30 END,
                   '', '', 'other', '',
                   CASE WHEN n <= %(contracts)s THEN %(agent)s END
            FROM generate_series(1, %(contracts)s + %(leases)s) AS n""",
        # Signed contracts, one per sale unit, bought by client n.
        f"""INSERT INTO {tables[SaleContract]} (
                created_at, updated_at, down_payment_percent, instalment_count, frequency,
                handover_percent, grace_months, number, price, discount, net_price, currency,
                status, cancel_reason, notes, buyer_id, unit_id, agent_id, signing_date)
            SELECT now(), now(), 10, %(instalments)s, 'monthly', 0, 0,
                   %(mark)s || 'SC' || lpad(u.n::text, 7, '0'), u.list_price, 0,
                   u.list_price, 'AED', 'signed', '', '', c.id, u.id, %(agent)s,
                   %(today)s::date - 120
            FROM (SELECT id, list_price, substr(code, 6)::int AS n FROM {tables[Unit]}
                  WHERE code LIKE %(mark)s || 'S%%') AS u
            JOIN {tables[Client]} AS c ON c.code = %(mark)s || 'C' || lpad(u.n::text, 7, '0')""",
        # Active leases of the let units, ending over the next year.
        f"""INSERT INTO {tables[Lease]} (
                created_at, updated_at, number, start_date, end_date, term_type, monthly_rent,
                currency, billing_frequency, billing_day, deposit_amount, escalation_percent,
                status, termination_reason, notes, tenant_id, unit_id)
            SELECT now(), now(), %(mark)s || lpad(u.n::text, 7, '0'),
                   %(today)s::date - 700 + u.n %% 365,
                   %(today)s::date + 29 + u.n %% 365, 'fixed', u.monthly_rent, 'AED',
                   'monthly', 1, u.monthly_rent, 0, 'active', '', '', c.id, u.id
            FROM (SELECT id, monthly_rent, substr(code, 6)::int AS n FROM {tables[Unit]}
                  WHERE code LIKE %(mark)s || 'L%%') AS u
            JOIN {tables[Client]} AS c ON c.code = %(mark)s || 'C' || lpad(u.n::text, 7, '0')""",
        # Six open instalments per contract, due 75 days ago to 104 days ahead.
        f"""INSERT INTO {tables[Receivable]} (
                created_at, updated_at, number, kind, description, currency, issue_date,
                due_date, amount, amount_paid, status, client_id, contract_id, unit_id,
                sequence)
            SELECT now(), now(), %(mark)s || 'I' || lpad(s.id::text, 7, '0') || '-' || k,
                   'instalment', 'Instalment ' || k || ' of ' || s.number, 'AED',
                   %(today)s::date - 120, d, s.net_price / 10,
                   CASE WHEN s.id %% 10 = 0 THEN 1000 ELSE 0 END,
                   CASE WHEN d < %(today)s THEN 'overdue'
                        WHEN s.id %% 10 = 0 THEN 'partially_paid' ELSE 'open' END,
                   s.buyer_id, s.id, s.unit_id, k
            FROM {tables[SaleContract]} AS s
            CROSS JOIN generate_series(1, %(instalments)s) AS k
            CROSS JOIN LATERAL (
                SELECT %(today)s::date + (k - 1) * 30 - 75 + (s.id %% 30)::int AS d) AS x
            WHERE s.number LIKE %(like)s""",
        # Two open rent invoices per lease (and five paid ones before them).
        f"""INSERT INTO {tables[Receivable]} (
                created_at, updated_at, number, kind, description, currency, issue_date,
                due_date, amount, amount_paid, status, client_id, lease_id, unit_id)
            SELECT now(), now(), %(mark)s || 'R' || lpad(l.id::text, 7, '0') || '-' || m,
                   'rent', 'Rent ' || l.number || ' ' || m, 'AED', d - 5, d, l.monthly_rent,
                   CASE WHEN m < %(paid_rent)s THEN l.monthly_rent ELSE 0 END,
                   CASE WHEN m < %(paid_rent)s THEN 'paid'
                        WHEN d < %(today)s THEN 'overdue' ELSE 'open' END,
                   l.tenant_id, l.id, l.unit_id
            FROM {tables[Lease]} AS l
            CROSS JOIN generate_series(0, %(paid_rent)s + %(open_rent)s - 1) AS m
            CROSS JOIN LATERAL (
                SELECT %(today)s::date - 40 + (m - %(paid_rent)s) * 30
                       + (l.id %% 28)::int AS d) AS x
            WHERE l.number LIKE %(like)s""",
        # Follow-ups due today and viewings tomorrow, the agent's.
        f"""INSERT INTO {tables[Lead]} (
                created_at, updated_at, code, status, unit_type, source, lost_reason, notes,
                client_id, agent_id, next_follow_up)
            SELECT now(), now(), %(mark)s || 'L' || lpad(c.id::text, 7, '0'), 'contacted',
                   'apartment', 'other', '', '', c.id, %(agent)s, %(today)s
            FROM {tables[Client]} AS c
            WHERE c.code LIKE %(like)s AND c.agent_id = %(agent)s
            ORDER BY c.id LIMIT %(follow_ups)s""",
        f"""INSERT INTO {tables[Viewing]} (
                created_at, updated_at, scheduled_at, status, feedback, client_id, unit_id,
                agent_id)
            SELECT now(), now(),
                   (%(tomorrow)s::date + time '09:00' + (s.id %% 9) * interval '1 hour')
                       AT TIME ZONE %(zone)s,
                   'scheduled', '', s.buyer_id, s.unit_id, %(agent)s
            FROM {tables[SaleContract]} AS s
            WHERE s.number LIKE %(like)s
            ORDER BY s.id LIMIT %(viewings)s""",
    ]
    p["zone"] = settings.TIME_ZONE
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql, p)


def _tidy() -> None:
    """Vacuum and analyse what the seeding and the flush touched, as autovacuum would in
    time: the timing is of the job, not of dead rows or missing planner statistics."""
    models = (Unit, Client, Lease, SaleContract, Receivable, Lead, Viewing, Notification, Delivery)
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
