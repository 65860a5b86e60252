"""A small HTTP load generator, run as its own process by ``bench_api``.

``python -m realestate.backoffice.loadgen`` reads a JSON plan on stdin::

    {"host": "127.0.0.1", "port": 8123, "clients": 8, "seconds": 30,
     "requests": [{"name": "agent_units", "path": "/api/v1/units/",
                   "headers": {"Authorization": "Bearer …"}}, …]}

and drives the server with ``clients`` threads for ``seconds``, each on its own keep-alive
``http.client`` connection (re-opened when the server closes it, as gunicorn's sync workers
do after every answer), taking the requests in turn (a request with several ``paths`` takes
them in turn too). It writes one JSON line on stdout: per request name, the latencies in
milliseconds, and the count of answers other than 200 with a sample of them. It imports
nothing of Django: the client's work stays out of the server's processes.
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time
from itertools import count


def drive(plan: dict) -> dict:
    requests = plan["requests"]
    deadline = time.perf_counter() + plan["seconds"]
    latencies = {request["name"]: [] for request in requests}
    failures = {request["name"]: [] for request in requests}
    lock = threading.Lock()
    turns = count()

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection(plan["host"], plan["port"], timeout=60)
        mine = {name: [] for name in latencies}
        bad = {name: [] for name in latencies}
        step = offset
        while time.perf_counter() < deadline:
            request = requests[step % len(requests)]
            paths = request.get("paths") or [request["path"]]
            path = paths[next(turns) % len(paths)]
            step += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=request.get("headers", {}))
                response = connection.getresponse()
                body = response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                status, body = 0, repr(error).encode()
            elapsed = (time.perf_counter() - started) * 1000
            if status == 200:
                mine[request["name"]].append(elapsed)
            else:
                bad[request["name"]].append(f"{status} {path}: {body[:200]!r}")
        connection.close()
        with lock:
            for name in latencies:
                latencies[name] += mine[name]
                failures[name] += bad[name]

    threads = [
        threading.Thread(target=client, args=(n,), daemon=True) for n in range(plan["clients"])
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "seconds": time.perf_counter() - started,
        "latencies": latencies,
        "failures": {name: len(items) for name, items in failures.items()},
        "failure_samples": {name: items[:3] for name, items in failures.items() if items},
    }


if __name__ == "__main__":
    json.dump(drive(json.load(sys.stdin)), sys.stdout)
    sys.stdout.write("\n")
