"""The login lockout holds across web processes: a real gunicorn with 4 workers.

Before the counters were shared, each worker counted failures in its own memory, and 16 of
20 password guesses for one username got an answer (401) instead of being locked out.
"""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.factories import UserFactory
from tests.processes import database_url as shared_database_url
from tests.processes import free_port

ROOT = Path(__file__).resolve().parents[2]
MAX_FAILURES = 5
WORKERS = 4


def database_url(tmp_path) -> str:
    """The server's database, holding a user this transactional test commits."""
    UserFactory(username="victim", password="right-password")
    return shared_database_url(tmp_path)


@pytest.fixture
def server(tmp_path, transactional_db):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": "cross-process-lockout-test-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "REDIS_URL": "",  # the database holds the counters
        "LOGIN_MAX_FAILURES": str(MAX_FAILURES),
        "LOGIN_MAX_FAILURES_PER_IP": "1000",
        "API_RATE_TOKEN": "1000/minute",
        "API_RATE_ANON": "1000/minute",
    }
    env["DATABASE_URL"] = database_url(tmp_path)
    port, log = free_port(), tmp_path / "access.log"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--preload",
            "--access-logfile",
            str(log),
            "--access-logformat",
            "%(p)s %(s)s",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.3)
        yield base, log
    finally:
        process.terminate()
        process.wait(timeout=30)


def token(base, password) -> int:
    request = urllib.request.Request(
        f"{base}/api/v1/auth/token/",
        method="POST",
        data=json.dumps({"username": "victim", "password": password}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_twenty_guesses_across_four_workers_get_no_more_than_the_limit(server):
    base, log = server

    # Five waves of four at once, so that every worker takes guesses.
    waves = []
    with ThreadPoolExecutor(WORKERS) as pool:
        for _ in range(20 // WORKERS):
            waves.append(list(pool.map(lambda _: token(base, "wrong"), range(WORKERS))))

    statuses = [status for wave in waves for status in wave]
    assert set(statuses) == {401, 429}, statuses
    assert statuses.count(401) <= MAX_FAILURES, waves
    first_locked = next(i for i, wave in enumerate(waves) if 429 in wave)
    assert all(401 not in wave for wave in waves[first_locked + 1 :]), waves
    # Locked, the right password does not help either.
    assert token(base, "right-password") == 429
    served_by = {
        line.split()[0]
        for line in log.read_text().splitlines()
        if line.split()[1] in ("401", "429")
    }
    assert len(served_by) > 1, "the guesses should have reached several workers"
