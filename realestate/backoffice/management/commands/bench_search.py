"""``bench_search``: time the admin's search box over 100,000 units and 100,000 clients.

Seeds (or reuses) ``bench_scope``'s units and its sales agent holding grants on every tenth,
plus ``--clients`` clients, every tenth assigned and granted to the same agent; then requests
the command search (``/admin/search/?extended=1``, unfold's results cache switched off)
``--runs`` times for each of four terms (a unit code prefix, a common first name, one
client's surname and number, a term matching nothing), as a superuser and as the agent. With
``--explain`` it prints the plans (``EXPLAIN ANALYZE`` on PostgreSQL) of the agent's unit and
client queries. The last line is the result::

    search_superuser_ms=13.3 search_agent_ms=22.3 search_queries=3

Run it on a database of its own (``make bench-search``; PostGIS, as in CI): like
``bench_scope`` it refuses a database holding data it did not create, unless ``--force``.
"""

from __future__ import annotations

import random
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from realestate.backoffice.search import KINDS, search_records
from realestate.clients.models import Client, ClientUserObjectPermission
from realestate.core.management.commands import bench_scope
from realestate.core.permissions import grants_bulk_assign
from realestate.properties.models import Unit

CLIENT_MAIL = "@bench-search.invalid"
FIRST = [
    "Layla",
    "Omar",
    "Daniel",
    "Sara",
    "Yusuf",
    "Maria",
    "Arjun",
    "Chen",
    "Fatima",
    "Ivan",
    "Amal",
    "Noah",
    "Priya",
    "Hassan",
    "Elena",
    "Tariq",
    "Mei",
    "Lucas",
    "Aisha",
    "Karim",
]
LAST = [
    "Nasser",
    "Reyes",
    "Haddad",
    "Kapoor",
    "Ivanova",
    "Mansour",
    "Okafor",
    "Lindqvist",
    "Rahman",
    "Costa",
    "Farouk",
    "Nakamura",
    "Sayed",
    "Moreau",
    "Qureshi",
    "Novak",
]
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


class Command(BaseCommand):
    help = "Benchmark the admin's search box over 100,000 units and clients."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=100_000)
        parser.add_argument("--clients", type=int, default=100_000)
        parser.add_argument("--runs", type=int, default=15, help="timed searches per term")
        parser.add_argument(
            "--force",
            action="store_true",
            help="run even though the database holds other (non-bench) data",
        )
        parser.add_argument(
            "--explain",
            action="store_true",
            help="print the plans of the agent's unit and client queries",
        )

    def handle(self, *args, units, clients, runs, force, explain, **options):
        if units < 10 or clients < 10 or runs < 1:
            raise CommandError("Need --units >= 10, --clients >= 10 and --runs >= 1.")
        foreign = Client.objects.exclude(email__endswith=CLIENT_MAIL).count()
        if foreign and not force:
            raise CommandError(
                f"This database holds {foreign} clients the benchmark did not "
                "create. Run it on a database of its own, or pass --force."
            )
        # The units and the agent: bench_scope's (it refuses a database of other data).
        root, agent = bench_scope.units_seed(
            units=units, grants=units // 10, seed=2026, force=force, reseed=False, out=self.stdout
        )
        seeded = Client.objects.filter(email__endswith=CLIENT_MAIL)
        if seeded.count() != clients:
            started = time.perf_counter()
            _seed_clients(random.Random(2026), clients, agent)
            self.stdout.write(f"Seeded {clients} clients in {time.perf_counter() - started:.1f}s.")
        _analyze()

        # A code prefix (ten units, one of them the agent's), a common first name, one
        # client's surname and number, and a term matching nothing.
        code = (
            Unit.objects.filter(agent=agent)
            .order_by("code")
            .values_list("code", flat=True)[units // 20]
        )
        name = (
            seeded.filter(agent=agent).order_by("pk").values_list("name", flat=True)[clients // 20]
        )
        terms = [code[:-1], "layla", " ".join(name.lower().split()[-2:]), "zzqx"]
        self.stdout.write(f"Terms: {', '.join(terms)}")
        url = reverse("admin:search")
        with override_settings(CACHES=NO_CACHE, STORAGES=bench_scope.PLAIN_STATIC, DEBUG=False):
            timed = {user.username: _time(user, url, terms, runs) for user in (root, agent)}
            queries = _queries(agent, url, terms[0])
        for name, times in timed.items():
            per_term = ", ".join(
                f"{term!r} {statistics.median(times[term]):.1f} ms" for term in terms
            )
            self.stdout.write(
                f"{name}: median {statistics.median(_all(times)):.1f} ms "
                f"({per_term}) over {runs} runs"
            )
        if explain:
            self._explain(agent, terms)
        self.stdout.write(
            f"search_superuser_ms={statistics.median(_all(timed[root.username])):.1f} "
            f"search_agent_ms={statistics.median(_all(timed[agent.username])):.1f} "
            f"search_queries={queries}"
        )

    def _explain(self, agent, terms) -> None:
        kinds = {kind.model: kind for kind in KINDS}
        for label, model, term in (
            ("properties.Unit", Unit, terms[0]),
            ("clients.Client", Client, terms[2]),
        ):
            queryset = (
                model.objects.restrict(agent, "view")
                .filter(kinds[label].matches(term))
                .order_by()[:5]
            )
            plan = (
                queryset.explain(analyze=True)
                if connection.vendor == "postgresql"
                else queryset.explain()
            )
            self.stdout.write(f"-- {label} {term!r} as the agent:\n{plan}\n")


def _seed_clients(rng: random.Random, count: int, agent) -> None:
    with transaction.atomic():
        Client.objects.filter(email__endswith=CLIENT_MAIL)._raw_delete(connection.alias)
        granted = []
        for first in range(0, count, bench_scope.BATCH):
            rows = Client.objects.bulk_create(
                [
                    Client(
                        code=f"BENCH-C{n:07d}",
                        name=f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}",
                        phone=f"+971 5{n % 10} {n:07d}",
                        email=f"client{n}{CLIENT_MAIL}",
                        agent=agent if n % 10 == 0 else None,
                    )
                    for n in range(first + 1, min(first + bench_scope.BATCH, count) + 1)
                ]
            )
            granted += [(row.pk, agent) for row in rows if row.agent_id]
        grants_bulk_assign(Client, granted)


def _analyze() -> None:
    """On PostgreSQL, vacuum and analyse the seeded tables, as autovacuum would in time."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Client, ClientUserObjectPermission):
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _time(user, url: str, terms, runs: int) -> dict[str, list[float]]:
    client = bench_scope._client(user)
    for term in terms:
        bench_scope._get(client, f"{url}?extended=1&s={term}")  # warm-up
    times = {term: [] for term in terms}
    for _ in range(runs):
        for term in terms:
            started = time.perf_counter()
            bench_scope._get(client, f"{url}?extended=1&s={term}")
            times[term].append((time.perf_counter() - started) * 1000)
    return times


def _all(times: dict[str, list[float]]) -> list[float]:
    return [ms for term_times in times.values() for ms in term_times]


def _queries(user, url: str, term: str) -> int:
    request = RequestFactory().get(url)
    request.user = user
    search_records(request, term)  # the user's grant summary, as after the first request
    with CaptureQueriesContext(connection) as captured:
        search_records(request, term)
    return len(captured)
