"""``manage.py qcluster`` stops within 10 seconds of a SIGTERM (systemd, containers), and the
task in hand is either finished or back in the queue, never lost.

Each test runs the real command as a subprocess on a SpatiaLite file of its own, migrated
once for the module, with the database as the broker (as without ``REDIS_URL``)."""

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
STOP_LIMIT = 10  # seconds: systemd's and Docker's patience is about this


@pytest.fixture(scope="module")
def cluster_env(tmp_path_factory):
    database = tmp_path_factory.mktemp("jobs") / "jobs.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"spatialite:///{database}",
        "Q_WORKERS": "1",
        "Q_SYNC": "false",
        "REDIS_URL": "",
        "SECRET_KEY": settings.SECRET_KEY,
        "PYTHONUNBUFFERED": "1",
    }
    subprocess.run(
        [sys.executable, MANAGE, "migrate", "--noinput", "-v0"], env=env, check=True, timeout=300
    )
    return env


def manage_shell(env, code: str) -> str:
    done = subprocess.run(
        [sys.executable, MANAGE, "shell", "-c", code],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def enqueue(env, *tasks):
    """``tasks``: (name, seconds) pairs, each a ``time.sleep`` of that long."""
    calls = "; ".join(
        f"async_task('time.sleep', {seconds}, task_name={name!r})" for name, seconds in tasks
    )
    manage_shell(env, f"from django_q.tasks import async_task; {calls}")


def queue_state(env) -> dict:
    return json.loads(
        manage_shell(
            env,
            (
                "import json; from django.utils import timezone; "
                "from django_q.models import Failure, OrmQ, Success; "
                "print(json.dumps({'queued': sorted(q.name() for q in OrmQ.objects.all()), "
                "'locked': sorted(q.name() for q in OrmQ.objects.filter(lock__gt=timezone.now())), "
                "'done': sorted(Success.objects.values_list('name', flat=True)), "
                "'failed': sorted(Failure.objects.values_list('name', flat=True))}))"
            ),
        )
    )


class Cluster:
    """``manage.py qcluster`` in a subprocess, its output read line by line."""

    def __init__(self, env):
        self.process = subprocess.Popen(
            [sys.executable, MANAGE, "qcluster"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines = queue.Queue()
        self.log = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 60) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            self.log.append(line)
            if text in line:
                return
        self.process.kill()
        pytest.fail(f"no {text!r} in the cluster's output:\n{''.join(self.log)}")

    def terminate(self) -> float:
        """Send SIGTERM; return the seconds until the process had exited."""
        start = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return time.monotonic() - start

    def output(self) -> str:
        while not self.lines.empty():
            self.log.append(self.lines.get())
        return "".join(self.log)


def test_an_idle_cluster_stops_at_once_on_sigterm(cluster_env):
    cluster = Cluster(cluster_env)
    cluster.wait_for("running.")

    took = cluster.terminate()

    assert took < STOP_LIMIT, cluster.output()
    assert cluster.process.returncode == 0, cluster.output()


def test_a_short_task_in_hand_is_finished(cluster_env):
    enqueue(cluster_env, ("quick", 2))
    cluster = Cluster(cluster_env)
    cluster.wait_for("processing quick")

    took = cluster.terminate()

    assert took < STOP_LIMIT, cluster.output()
    state = queue_state(cluster_env)
    assert "quick" in state["done"]
    assert "quick" not in state["queued"]


def test_a_long_task_in_hand_and_one_waiting_go_back_to_the_queue(cluster_env):
    # One worker: "long" is in hand, "next" waits in the cluster's memory queue.
    enqueue(cluster_env, ("long", 120), ("next", 120))
    cluster = Cluster(cluster_env)
    cluster.wait_for("processing long")

    took = cluster.terminate()

    assert took < STOP_LIMIT, cluster.output()
    state = queue_state(cluster_env)
    assert state["queued"] == ["long", "next"], cluster.output()
    assert state["locked"] == []  # free for the next cluster at once, not after the retry
    assert "long" not in state["failed"] + state["done"]
    assert cluster.process.returncode == 0, cluster.output()
