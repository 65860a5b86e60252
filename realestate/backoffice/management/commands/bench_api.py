"""``bench_api``: time the mobile app's API under load, served as in production.

Seeds (PostgreSQL, set-based ``INSERT … SELECT`` over ``generate_series``; a few minutes):
``--units`` units (1,000,000 by default, codes ``API-0000001`` on) placed over Dubai, in 40
projects of 10 buildings, assigned to 100 agents; one field agent (``bench-api-agent``) is
assigned every hundredth unit and granted them (view and change, as an assignment does);
``--leases`` leases (20,000) of units let to tenants, each with 12 monthly rent invoices; a
tenant's app login (``bench-api-tenant``) holds four of the leases (48 invoices).

Then it serves the project with gunicorn as production does (``config/gunicorn.conf.py``:
``gthread`` workers of 4 threads, connections kept alive; ``--workers`` 2, ``DEBUG`` off, the
API's rate limits raised out of the way but still counted, in Redis when ``REDIS_URL`` is set,
as in production (``make bench-api`` sets it); ``--gunicorn=ARG`` adds arguments,
e.g. ``--gunicorn=--worker-class=sync --gunicorn=--threads=1``) on a free port, gets both
users' tokens from
``/api/v1/auth/token/``, and drives it from another process (``backoffice.loadgen``:
``--clients`` 8 threads on keep-alive connections) for ``--seconds`` 30, taking four requests
in turn: the tenant's invoice list, the agent's unit list, the agent's ``near`` search (5 km
around a few points of the city) and the detail of one of the agent's units; and
``/healthz`` alone for as long, the two in turn (``SLICES``: three times 10 s each, so that
both meet the machine at the same pace). The last line is the result::

    tenant_invoices_p95_ms=86.3 agent_units_p95_ms=87.3 agent_near_p95_ms=112.3 rps=169.6
    healthz_rps=1157.0     (one line; the unit detail's p95 is on the lines before it)

Run it on a database of its own (``make bench-api``; PostGIS): it refuses a database holding
units, clients, leases or users that it did not create, unless ``--force``. Data seeded by an
earlier run with the same figures is kept; ``--reseed`` replaces it. ``--explain`` prints
EXPLAIN ANALYZE of the slowest queries of each request, run in-process.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from realestate.backoffice.bench_api_seed import (
    AGENT,
    NEAR_POINTS,
    PASSWORD,
    TENANT,
    api_seed,
)
from realestate.properties.models import Unit

ROOT = Path(settings.BASE_DIR)
NAMES = ("tenant_invoices", "agent_units", "agent_near", "unit_detail")
#: The API and ``/healthz`` are driven in turn, this many times each, for a share of
#: ``--seconds`` every time: this machine's pace drifts by a fifth within a minute, and two
#: phases of 30 s one after the other measured the drift as much as the API.
SLICES = 3
#: The API's rate limits, raised so that the benchmark is not refused (each call still counts).
RATES = {
    "API_RATE_USER": "100000000/hour",
    "API_RATE_ANON": "100000000/hour",
    "API_RATE_TOKEN": "100000/minute",
}


class Command(BaseCommand):
    help = "Benchmark the mobile app's API under load (gunicorn, PostGIS, a million units)."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=1_000_000, help="default 1000000")
        parser.add_argument("--leases", type=int, default=20_000, help="default 20000")
        parser.add_argument("--seconds", type=float, default=30, help="per phase (default 30)")
        parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
        parser.add_argument(
            "--gunicorn",
            action="append",
            default=[],
            metavar="ARG",
            help="more gunicorn arguments, e.g. --gunicorn=--threads=1 (repeatable)",
        )
        parser.add_argument(
            "--force", action="store_true", help="run though the database holds other data"
        )
        parser.add_argument(
            "--reseed", action="store_true", help="seed afresh even if an earlier run's data fits"
        )
        parser.add_argument(
            "--explain",
            action="store_true",
            help="print EXPLAIN ANALYZE of each request's slowest queries",
        )

    def handle(self, *args, units, leases, seconds, clients, workers, gunicorn, force, reseed,
               explain, **options):  # fmt: skip
        if connection.vendor != "postgresql":
            raise CommandError("bench_api needs PostgreSQL (PostGIS), as in CI.")
        if units < 10_000 or not 10 <= leases <= units // 50 or seconds <= 0 or clients < 1:
            raise CommandError(
                "Need --units >= 10000, 10 <= --leases <= units/50, --seconds > 0, --clients >= 1."
            )
        api_seed(units=units, leases=leases, force=force, reseed=reseed, out=self.stdout)
        paths = _paths()
        if explain:
            self._explain(paths)
        with _server(workers, tuple(gunicorn)) as base:
            tokens = {user: _token(base, user) for user in (TENANT, AGENT)}
            mix = [
                _request("tenant_invoices", paths["tenant_invoices"], tokens[TENANT]),
                _request("agent_units", paths["agent_units"], tokens[AGENT]),
                _request("agent_near", paths["agent_near"], tokens[AGENT]),
                _request("unit_detail", paths["unit_detail"], tokens[AGENT]),
            ]
            for request in mix:  # warm-up: each worker's first answers, the planner's caches
                for path in request["paths"][: 2 * workers]:
                    _get(base, path, request["headers"])
            healthz = [{"name": "healthz", "paths": ["/healthz"]}]
            self.stdout.write(
                f"Driving {len(mix)} requests in turn, then /healthz, {clients} clients, "
                f"{SLICES} times {seconds / SLICES:g} s each..."
            )
            api, health = _merged(), _merged()
            for _ in range(SLICES):  # side by side in time: the machine's pace moves both alike
                _merge(api, _drive(base, mix, clients, seconds / SLICES))
                _merge(health, _drive(base, healthz, clients, seconds / SLICES))
        self._report(api, health)

    def _report(self, api: dict, health: dict) -> None:
        p95 = {}
        for name in NAMES:
            times = sorted(api["latencies"][name])
            if not times:
                raise CommandError(f"No successful {name} request: {api['failure_samples']}")
            p95[name] = _percentile(times, 95)
            self.stdout.write(
                f"{name}: {len(times)} requests, p50 {statistics.median(times):.1f} ms, "
                f"p95 {p95[name]:.1f} ms, max {times[-1]:.1f} ms"
            )
        failures = {**api["failure_samples"], **health["failure_samples"]}
        if failures:
            self.stderr.write(f"Answers other than 200: {json.dumps(failures)[:2000]}")
        done = sum(len(api["latencies"][name]) for name in NAMES)
        rps = done / api["seconds"]
        healthz_rps = len(health["latencies"]["healthz"]) / health["seconds"]
        self.stdout.write(
            f"API/healthz throughput: {rps / healthz_rps:.2f} (target 0.33 or more); "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; counters and "
            f"cache in {'Redis' if os.environ.get('REDIS_URL') else 'the database'}."
        )
        self.stdout.write(
            f"tenant_invoices_p95_ms={p95['tenant_invoices']:.1f} "
            f"agent_units_p95_ms={p95['agent_units']:.1f} "
            f"agent_near_p95_ms={p95['agent_near']:.1f} "
            f"rps={rps:.1f} healthz_rps={healthz_rps:.1f}"
        )

    def _explain(self, paths: dict) -> None:
        """Each request once in-process (a token each, as the app sends), then EXPLAIN ANALYZE
        of its two slowest queries."""
        from rest_framework_simplejwt.tokens import RefreshToken

        User = get_user_model()
        for name in NAMES:
            user = User.objects.get(username=TENANT if name == "tenant_invoices" else AGENT)
            client = Client(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
            with _settings_for_bench():
                client.get(paths[name][0])  # warm
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(paths[name][0])
            if response.status_code != 200:
                raise CommandError(f"GET {paths[name][0]} answered {response.status_code}.")
            selects = [q for q in captured.captured_queries if q["sql"].startswith("SELECT")]
            selects.sort(key=lambda q: float(q["time"]), reverse=True)
            self.stdout.write(
                f"-- {name}: GET {paths[name][0]}: {len(captured)} queries, the slowest:"
            )
            for query in selects[:2]:
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN ANALYZE {query['sql']}")
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                self.stdout.write(f"{query['sql'][:600]}\n{plan}\n")


def _paths() -> dict[str, list[str]]:
    User = get_user_model()
    agent = User.objects.get(username=AGENT)
    detail_ids = list(
        Unit.objects.filter(agent=agent).order_by("pk").values_list("pk", flat=True)[::50][:200]
    )
    return {
        "tenant_invoices": ["/api/v1/tenant/invoices/"],
        "agent_units": ["/api/v1/units/"],
        "agent_near": [f"/api/v1/units/?near={lng},{lat}" for lng, lat in NEAR_POINTS],
        "unit_detail": [f"/api/v1/units/{pk}/" for pk in detail_ids],
    }


def _request(name: str, paths: list[str], token: str) -> dict:
    return {"name": name, "paths": paths, "headers": {"Authorization": f"Bearer {token}"}}


@contextmanager
def _settings_for_bench():
    from django.test.utils import override_settings

    with override_settings(DEBUG=False, **RATES):
        yield


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def _server(workers: int, gunicorn_args: tuple[str, ...] = ()):
    """gunicorn serving the project on this database as in production (its settings in
    ``config/gunicorn.conf.py``), with ``DEBUG`` off and ``workers`` processes."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    env = {
        **os.environ,
        **RATES,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "DATABASE_URL": (
            f"postgis://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "SECRET_KEY": settings.SECRET_KEY,
        "JWT_ACCESS_MINUTES": "120",
    }
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--config",
         str(ROOT / "config" / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--timeout", "120", *gunicorn_args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=5).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise CommandError(
                        "gunicorn did not start: "
                        + (process.stderr.read() if process.poll() is not None else b"").decode()[
                            -2000:
                        ]
                    ) from None
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def _token(base: str, username: str) -> str:
    request = urllib.request.Request(
        f"{base}/api/v1/auth/token/",
        method="POST",
        data=json.dumps({"username": username, "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)["access"]
    except urllib.error.HTTPError as error:
        raise CommandError(
            f"No token for {username}: {error.code} {error.read()[:300]!r}"
        ) from None


def _get(base: str, path: str, headers: dict) -> None:
    request = urllib.request.Request(base + path, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
    except urllib.error.HTTPError as error:
        raise CommandError(f"GET {path} answered {error.code}: {error.read()[:300]!r}") from None


def _drive(base: str, requests: list[dict], clients: int, seconds: float) -> dict:
    host, port = base.removeprefix("http://").split(":")
    plan = {
        "host": host,
        "port": int(port),
        "clients": clients,
        "seconds": seconds,
        "requests": requests,
    }
    result = subprocess.run(
        [sys.executable, "-m", "realestate.backoffice.loadgen"],
        cwd=ROOT,
        input=json.dumps(plan),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise CommandError(f"The load generator failed: {result.stderr[-2000:]}")
    return json.loads(result.stdout)


def _merged() -> dict:
    return {"seconds": 0.0, "latencies": {}, "failures": {}, "failure_samples": {}}


def _merge(total: dict, part: dict) -> None:
    """Add one slice's result (``loadgen``'s) to ``total``."""
    total["seconds"] += part["seconds"]
    for key in ("latencies", "failure_samples"):
        for name, items in part[key].items():
            total[key].setdefault(name, []).extend(items)
    for name, count in part["failures"].items():
        total["failures"][name] = total["failures"].get(name, 0) + count


def _percentile(ordered: list[float], percent: float) -> float:
    """The nearest-rank percentile of an ordered list."""
    rank = max(1, -(-len(ordered) * percent // 100))
    return ordered[int(rank) - 1]
