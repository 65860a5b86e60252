"""Prepared statements on PostgreSQL (``config/database.py``): in the web processes
(gunicorn's configuration turns them on) and in the suite (``make test``), not in jobs and
commands, whose tables grow as they run."""

import os
import subprocess
import sys
from pathlib import Path

import environ
import pytest
from django.conf import settings
from django.db import connection

from config.database import databases
from realestate.properties.models import Unit
from tests.factories import UnitFactory

POSTGIS = "postgis://postgres@127.0.0.1:5432/somewhere"


def options(tmp_path, monkeypatch, **variables) -> dict:
    monkeypatch.setenv("DATABASE_URL", POSTGIS)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return databases(environ.Env(), tmp_path)["default"]["OPTIONS"]


def test_off_unless_asked(tmp_path, monkeypatch):
    monkeypatch.delenv("DB_PREPARE_THRESHOLD", raising=False)
    found = options(tmp_path, monkeypatch)

    assert "server_side_binding" not in found and "prepare_threshold" not in found
    assert "server_side_binding" not in options(tmp_path, monkeypatch, DB_PREPARE_THRESHOLD="0")


def test_on_when_asked(tmp_path, monkeypatch):
    found = options(tmp_path, monkeypatch, DB_PREPARE_THRESHOLD="5")

    assert (found["server_side_binding"], found["prepare_threshold"]) == (True, 5)


def test_gunicorns_web_processes_ask_for_them_unless_told_otherwise():
    def threshold(environment) -> str:
        return subprocess.run(
            [sys.executable, "-c", "import runpy, os; runpy.run_path('config/gunicorn.conf.py');"
             "print(os.environ['DB_PREPARE_THRESHOLD'])"],
            cwd=Path(settings.BASE_DIR), env=environment, capture_output=True, text=True,
            check=True,
        ).stdout.strip()  # fmt: skip

    without = {k: v for k, v in os.environ.items() if k != "DB_PREPARE_THRESHOLD"}
    assert threshold(without) == "5"
    assert threshold({**without, "DB_PREPARE_THRESHOLD": "0"}) == "0"


@pytest.mark.django_db
@pytest.mark.postgres_only
def test_a_query_run_again_is_prepared_and_answers_for_its_own_parameters():
    if not connection.settings_dict["OPTIONS"].get("prepare_threshold"):
        pytest.skip("prepared statements are off (DB_PREPARE_THRESHOLD=0); make test turns them on")
    units = [UnitFactory(code=f"PREP-{number}") for number in range(8)]

    answers = [
        Unit.objects.filter(pk=unit.pk).values_list("code", flat=True).get() for unit in units
    ]

    assert answers == [f"PREP-{number}" for number in range(8)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert any('FROM "properties_unit"' in text and "$1" in text for text in statements)
