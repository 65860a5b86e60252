"""The database settings (``DATABASES``), read from the environment by ``config.settings``."""

from pathlib import Path

import environ


def databases(env: environ.Env, var_dir: Path) -> dict:
    """``DATABASES``: an embedded SpatiaLite file under ``var_dir`` by default, so that
    ``make run`` needs no server; PostGIS when ``DATABASE_URL`` names PostgreSQL."""
    var_dir.mkdir(exist_ok=True)
    found = {
        "default": env.db_url(
            "DATABASE_URL", default=f"spatialite:///{var_dir / 'realestate.sqlite3'}"
        )
    }
    engine = found["default"]["ENGINE"]
    if engine.endswith(("sqlite3", "spatialite")):
        # A web server and several job workers share one file: WAL lets readers run beside the
        # writer, IMMEDIATE transactions take the write lock up front (no lock upgrade deadlocks)
        # and the busy timeout makes a writer wait instead of failing with "database is locked".
        found["default"].setdefault("OPTIONS", {}).update(
            {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=30000;"
                    "PRAGMA foreign_keys=ON;"
                ),
            }
        )
        found["default"]["ENGINE"] = "django.contrib.gis.db.backends.spatialite"
    elif engine.endswith(("postgresql", "postgis", "postgresql_psycopg2")):
        found["default"]["ENGINE"] = "django.contrib.gis.db.backends.postgis"
        found["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
        found["default"].setdefault("CONN_HEALTH_CHECKS", True)
        options = found["default"].setdefault("OPTIONS", {})
        if not env.bool("DB_JIT", default=False):
            # PostgreSQL compiles a query whose estimated cost is high (a spatial filter over a
            # million units) with LLVM: 0.2 to 0.9 s of compiling for a query that runs in 0.1 s,
            # paid again on every request. The app's queries are short: no JIT.
            options["options"] = f"{options.get('options', '')} -c jit=off".strip()
        # Prepared statements: parameters sent apart from the SQL (server-side binding), and
        # a statement prepared the N-th time a connection runs it, so that PostgreSQL plans
        # it once per connection. The web processes take them (``config/gunicorn.conf.py``
        # sets 5): the unit list's page took longer to plan than to run (0.64 ms against
        # 0.32), and PostgreSQL's CPU per API request fell from 2.4 to 1.7 ms. Off (0) for
        # everything else: a prepared statement's generic plan is made once, and a job whose
        # tables grow as it runs keeps a plan made for the empty table (an import of 100,000
        # units looked existing codes up by a sequential scan, 5 s a batch: 63 s instead of
        # 11). Off behind a pooler in transaction mode (PgBouncer before 1.21) too: a prepared
        # statement belongs to one server connection.
        prepare_threshold = env.int("DB_PREPARE_THRESHOLD", default=0)
        if prepare_threshold > 0:
            options.setdefault("server_side_binding", True)
            options.setdefault("prepare_threshold", prepare_threshold)
    found["default"]["ATOMIC_REQUESTS"] = False
    return found
