"""SpatiaLite is shared by a web server and job workers: WAL, IMMEDIATE and a busy timeout.

The test database is usually in memory, where SQLite cannot use WAL, so the file-level
behaviour is checked on a throw-away file database opened with the project's own settings.
"""

import re

import pytest
from django.conf import settings
from django.db import OperationalError, connection, connections, transaction

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SpatiaLite only"),
]


def configured_busy_timeout_ms() -> int:
    init_command = settings.DATABASES["default"]["OPTIONS"]["init_command"]
    return int(re.search(r"busy_timeout\s*=\s*(\d+)", init_command).group(1))


def pragma(conn, name):
    with conn.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


@pytest.fixture
def file_database(tmp_path):
    """``open(**options)``: a new connection to one SQLite file, with the project's settings."""
    opened = []

    def open_(alias=None, **options):
        alias = alias or f"tuning_{len(opened)}"
        default = connections["default"]
        settings_dict = {
            **default.settings_dict,
            "NAME": str(tmp_path / "shared.sqlite3"),
            "OPTIONS": {**default.settings_dict["OPTIONS"], **options},
        }
        wrapper = type(default)(settings_dict, alias=alias)
        connections[alias] = wrapper
        opened.append(alias)
        return wrapper

    yield open_
    for alias in opened:
        connections[alias].close()
        del connections[alias]


def test_settings_ask_for_wal_immediate_and_busy_timeout():
    options = settings.DATABASES["default"]["OPTIONS"]

    assert options["transaction_mode"] == "IMMEDIATE"
    assert re.search(r"journal_mode\s*=\s*WAL", options["init_command"], re.I)
    assert configured_busy_timeout_ms() >= 1000


def test_live_connection_is_tuned():
    mode = pragma(connection, "journal_mode")

    if connection.is_in_memory_db():
        assert mode == "memory"  # SQLite has no WAL for in-memory databases
    else:
        assert mode == "wal"
    assert connection.transaction_mode == "IMMEDIATE"
    assert pragma(connection, "foreign_keys") == 1
    # Loading mod_spatialite resets the busy timeout; the configured one must survive it.
    assert pragma(connection, "busy_timeout") == configured_busy_timeout_ms()


def test_file_database_uses_wal_and_the_configured_pragmas(file_database):
    db = file_database()

    assert pragma(db, "journal_mode") == "wal"
    assert pragma(db, "synchronous") == 1  # NORMAL
    assert pragma(db, "foreign_keys") == 1
    assert pragma(db, "busy_timeout") == configured_busy_timeout_ms()
    assert pragma(db, "busy_timeout") > 0
    with db.cursor() as cursor:
        cursor.execute("SELECT spatialite_version()")
        assert cursor.fetchone()[0]


def test_transactions_take_the_write_lock_up_front(file_database):
    web = file_database("tuning_web")
    # A worker that gives up quickly, so the test does not wait out the real timeout.
    worker = file_database("tuning_worker", timeout=0.05, init_command="PRAGMA busy_timeout=50")
    with web.cursor() as cursor:
        cursor.execute("CREATE TABLE job_log (note TEXT)")

    with transaction.atomic(using="tuning_web"), web.cursor() as cursor:
        # Only a read so far: a DEFERRED transaction would not hold the write lock yet.
        cursor.execute("SELECT COUNT(*) FROM job_log")
        with pytest.raises(OperationalError, match="locked"), worker.cursor() as other:
            other.execute("INSERT INTO job_log VALUES ('worker')")
        # WAL: the reader is not blocked by the writer's open transaction.
        with worker.cursor() as other:
            other.execute("SELECT COUNT(*) FROM job_log")
            assert other.fetchone()[0] == 0

    with worker.cursor() as other:
        other.execute("INSERT INTO job_log VALUES ('worker')")
        other.execute("SELECT COUNT(*) FROM job_log")
        assert other.fetchone()[0] == 1
