"""A local HTTP server that answers like Stripe's API for what the app asks of it (creating
a PaymentIntent), recording each request, and signed webhook deliveries: no test reaches the
internet."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import stripe

SECRET_KEY = "sk_test_standin"
PUBLISHABLE_KEY = "pk_test_standin"
WEBHOOK_SECRET = "whsec_test_standin"
WEBHOOK = "/api/v1/payments/webhooks/stripe/"


class StripeStandIn(ThreadingHTTPServer):
    """``requests``: (method, path, headers, form fields) of each call; ``fail``: answer the
    next calls with Stripe's error shape (HTTP 400) instead."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[str, str, dict, dict]] = []
        self.by_key: dict[str, dict] = {}
        self.fail = False
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


class _Handler(BaseHTTPRequestHandler):
    server: StripeStandIn

    def log_message(self, *args):  # quiet
        pass

    def _answer(self, code: int, body: dict, headers: dict | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        fields = dict(parse_qsl(self.rfile.read(length).decode()))
        with self.server.lock:
            self.server.requests.append(("POST", self.path, dict(self.headers), fields))
            if self.path != "/v1/payment_intents":
                return self._answer(404, {"error": {"type": "invalid_request_error"}})
            if self.server.fail:
                return self._answer(
                    400,
                    {
                        "error": {
                            "type": "invalid_request_error",
                            "message": "Your account cannot currently make live charges.",
                        }
                    },
                )
            key = self.headers.get("Idempotency-Key")
            if key and key in self.server.by_key:
                return self._answer(200, self.server.by_key[key], {"Idempotent-Replayed": "true"})
            number = len(self.server.by_key) + len(self.server.requests)
            intent_id = f"pi_standin{number:04d}"
            intent = {
                "id": intent_id,
                "object": "payment_intent",
                "amount": int(fields["amount"]),
                "currency": fields["currency"],
                "client_secret": f"{intent_id}_secret_standin",
                "status": "requires_payment_method",
                "description": fields.get("description"),
                "metadata": {
                    name[len("metadata[") : -1]: value
                    for name, value in fields.items()
                    if name.startswith("metadata[")
                },
            }
            if key:
                self.server.by_key[key] = intent
            return self._answer(200, intent)


def start() -> StripeStandIn:
    server = StripeStandIn()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def succeeded_event(
    invoice, *, minor: int, currency: str = "aed", event_id="evt_1", intent_id="pi_paid1"
) -> dict:
    """Stripe's ``payment_intent.succeeded`` for a payment of ``invoice``."""
    return {
        "id": event_id,
        "object": "event",
        "type": "payment_intent.succeeded",
        "api_version": "2024-06-20",
        "created": 1767225600,
        "livemode": False,
        "data": {
            "object": {
                "id": intent_id,
                "object": "payment_intent",
                "amount": minor,
                "amount_received": minor,
                "currency": currency,
                "status": "succeeded",
                "metadata": {"receivable_id": str(invoice.pk), "receivable_number": invoice.number},
            }
        },
    }


def deliver(client, event: dict | str, *, secret: str = WEBHOOK_SECRET, signature=None):
    """POST ``event`` to the webhook as Stripe does, signed with ``secret``."""
    payload = event if isinstance(event, str) else json.dumps(event)
    if signature is None:
        signature = stripe.WebhookSignature.generate_signature_header(payload, secret)
    return client.post(
        WEBHOOK, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )
