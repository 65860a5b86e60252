"""A local stand-in for a provider's HTTP API: a server on a free port in a thread, answering
each request with what a test's handler returns, and keeping the requests it got."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


@dataclass
class Received:
    method: str
    path: str
    headers: dict
    body: bytes

    def form(self) -> dict:
        return {key: values[0] for key, values in parse_qs(self.body.decode()).items()}

    def json(self):
        return json.loads(self.body)


@dataclass
class StandIn:
    """``handler(received) -> (status, payload dict, delay seconds)``."""

    handler: object
    received: list[Received] = field(default_factory=list)

    def __enter__(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                got = Received("POST", self.path, dict(self.headers), self.rfile.read(length))
                standin.received.append(got)
                status, payload, delay = standin.handler(got)
                if delay:
                    threading.Event().wait(delay)
                body = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client timed out and left

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
