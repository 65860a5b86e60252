"""For tests that start servers of their own (gunicorn, daphne, an SMTP server): a free port,
and the test database as a URL another process can open."""

from __future__ import annotations

import socket
import sqlite3

from django.db import connection


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(tmp_path) -> str:
    """The database another process serves from: the test database (a transactional test
    commits what it made). PostGIS: the same database. SpatiaLite: the in-memory test database
    (migrated by pytest-django) copied to a file with SQLite's backup API, quicker than a
    migrate."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        return f"postgis://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    path = tmp_path / "server.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    return f"spatialite:///{path}"
