"""A throwaway redis-server for tests that need a Redis of their own."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


def reachable(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=0.5).close()
        return True
    except OSError:
        return False


@contextmanager
def throwaway_redis() -> Iterator[int]:
    """A redis-server on a free port that keeps nothing on disk, stopped afterwards; yields
    its port. The test is skipped without the binary, or if the server does not start."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            if reachable("127.0.0.1", port):
                break
            time.sleep(0.1)
        else:
            pytest.skip("redis-server did not start")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)
