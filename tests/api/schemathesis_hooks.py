"""Schemathesis hooks for tests/api/test_schemathesis.py (loaded by the ``st`` process).

OpenAPI 3.0 cannot state two rules of this API, so a positive (schema-valid) case is brought in
line with them before it is sent (every phase); negative cases are left alone:

- ``in_bbox``: the minimum of each axis comes before its maximum;
- ``refresh`` (refresh, logout): a refresh token the server issued to the caller. The schema
  can only say "a string", and any other string is refused (401, or 400 on logout);
- Stripe's webhook: its calls carry the body's signature (``stripe_signed_positive_cases``).
"""

import json
import os
from datetime import date

import requests
import schemathesis
import stripe
from schemathesis import GenerationMode

from tests.api.stripe_stand_in import WEBHOOK_SECRET

BASE_URL = os.environ["API_BASE_URL"]
USERNAME = os.environ["API_USERNAME"]
PASSWORD = os.environ["API_PASSWORD"]
REFRESH_OPERATIONS = {"/api/v1/auth/token/refresh/", "/api/v1/auth/logout/"}
A_BOX = "55.1,25.0,55.4,25.3"


def _refresh_token() -> str:
    response = requests.post(
        f"{BASE_URL}/api/v1/auth/token/",
        json={"username": USERNAME, "password": PASSWORD},
        timeout=30,
    )
    response.raise_for_status()
    return response.json()["refresh"]


def _as_caller(path: str, **params) -> list[dict]:
    """The rows of a list as the run's caller sees them (a fresh login: the run's own token
    may have been logged out by a stateful case)."""
    token = requests.post(
        f"{BASE_URL}/api/v1/auth/token/",
        json={"username": USERNAME, "password": PASSWORD},
        timeout=30,
    ).json()["access"]
    answer = requests.get(
        f"{BASE_URL}{path}",
        params=params,
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    return answer.json()["results"]


def _ordered(box: str) -> bool:
    min_lng, min_lat, max_lng, max_lat = (float(part) for part in box.split(","))
    return min_lng < max_lng and min_lat < max_lat


@schemathesis.hook
def before_call(context, case, kwargs):
    if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
        return
    box = (case.query or {}).get("in_bbox")
    if isinstance(box, str) and box.count(",") == 3 and not _ordered(box):
        case.query["in_bbox"] = A_BOX
    if case.operation.path in REFRESH_OPERATIONS and isinstance(case.body, dict):
        case.body["refresh"] = _refresh_token()


MAINTENANCE = "/api/v1/tenant/maintenance/"
STATEMENT = "/api/v1/tenant/statement/"
COMMENTS = "/api/v1/tenant/maintenance/{id}/comments/"
_rented: list[int] = []
_requests: list[int] = []


def _own_request() -> int:
    """A maintenance request of the portal caller's own (comments are added to it). No link
    leads schemathesis from a list to this write, and the ids it makes up are not the
    caller's (404) wherever the database's sequences have moved on (PostgreSQL after other
    tests), so positive cases name a request the caller may comment on."""
    if not _requests:
        _requests.append(_as_caller(MAINTENANCE)[0]["id"])
    return _requests[0]


def _rented_unit() -> int:
    """The unit the portal caller rents now (a request is reported on it)."""
    if not _rented:
        _rented.append(_as_caller("/api/v1/tenant/leases/", status="active")[0]["unit"]["id"])
    return _rented[0]


def _period_in_order(query: dict) -> dict:
    """A statement's period ends on or after its start (``from`` defaults to the first of
    January, ``to`` to today): a valid case gets a period in that order."""
    today = date.today()
    try:
        first = date.fromisoformat(query["from"]) if query.get("from") else date(today.year, 1, 1)
        last = date.fromisoformat(query["to"]) if query.get("to") else today
    except (TypeError, ValueError):
        return query
    if first > last:
        query = {**query, "from": last.isoformat(), "to": first.isoformat()}
    return query


@schemathesis.hook("before_call")
def portal_positive_cases(context, case, kwargs):
    """A valid maintenance request names a unit the caller rents (the schema can only say
    "an id"), and its photos are real images (the schema can only say "a file"): positive
    cases send the rented unit and leave photos out (tests/api/test_tenant.py sends them).
    A statement's period runs forwards. A client keeps a phone or an e-mail address, on
    ``/me/`` as on the agents' clients (positive cases keep a phone)."""
    if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
        return
    if case.operation.path == "/api/v1/me/" and case.method == "PATCH":
        body = case.body if isinstance(case.body, dict) else {}
        if body.get("phone") == "" or (body.get("email") == "" and "phone" not in body):
            body["phone"] = "+971 50 000 0000"
    if case.operation.path == MAINTENANCE and case.method == "POST" and isinstance(case.body, dict):
        case.body["unit"] = _rented_unit()
        case.body.pop("photos", None)
    if case.operation.path == STATEMENT:
        case.query = _period_in_order(case.query or {})
    if case.operation.path == COMMENTS:
        case.path_parameters = {**(case.path_parameters or {}), "id": _own_request()}
        if isinstance(case.body, dict):
            case.body.pop("photos", None)


_agent_ids: dict[str, int] = {}


def _agent_id(kind: str) -> int:
    """An id the agent may use: one of their clients, available units or leads."""
    if not _agent_ids:
        _agent_ids["client"] = _as_caller("/api/v1/agent/clients/")[0]["id"]
        _agent_ids["unit"] = _as_caller("/api/v1/units/", status="available")[0]["id"]
        _agent_ids["lead"] = _as_caller("/api/v1/agent/leads/")[0]["id"]
    return _agent_ids[kind]


@schemathesis.hook("before_call")
def agent_positive_cases(context, case, kwargs):
    """Rules of the agent's writes that OpenAPI 3.0 cannot state, for positive cases only:
    a client keeps a phone or an e-mail address (Django's e-mail check is stricter than the
    `email` format); a lead's budget runs from its minimum up, names one of the agent's
    clients and no unit; losing a lead needs a reason; a reservation names one of the agent's
    clients and units and ends in the future (its unit is taken after the first: 409); a
    viewing names one of the agent's clients and units (no lead: it must be that client's)
    and is (re)scheduled in the future; a check-in's time is not ahead of the clock."""
    if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
        return
    path, body = case.operation.path, case.body
    if not isinstance(body, dict) or not path.startswith("/api/v1/agent/"):
        return
    if path.startswith("/api/v1/agent/clients/"):
        body["phone"] = "+971 50 000 0000"
        if "email" in body:
            body["email"] = "client@example.com"
    elif path == "/api/v1/agent/leads/{id}/move/":
        # One of the agent's leads (made-up ids are 404, and so is every case without one).
        case.path_parameters = {**(case.path_parameters or {}), "id": _agent_id("lead")}
        if body.get("status") == "lost":
            body["lost_reason"] = "price"
    elif path.startswith("/api/v1/agent/leads/"):
        if case.method == "POST":
            body["client"] = _agent_id("client")
        else:  # a lead stays with its client
            body.pop("client", None)
        body.pop("unit", None)
        body.pop("budget_min", None)
    elif path == "/api/v1/agent/viewings/":
        body["client"] = _agent_id("client")
        body["unit"] = _agent_id("unit")
        body.pop("lead", None)
        body["scheduled_at"] = "2999-01-01T10:00:00Z"
    elif path == "/api/v1/agent/viewings/{id}/reschedule/":
        body["scheduled_at"] = "2999-01-01T10:00:00Z"
    elif path == "/api/v1/agent/viewings/{id}/check-in/":
        body.pop("at", None)
    elif path == "/api/v1/agent/reservations/":
        body["client"] = _agent_id("client")
        body["unit"] = _agent_id("unit")
        body["expires_at"] = "2999-01-01T00:00:00Z"


NOTIFICATION_READ = "/api/v1/notifications/{id}/read/"
_notifications: list[int] = []


@schemathesis.hook("before_call")
def notification_positive_cases(context, case, kwargs):
    """Marking a notification read names one of the caller's (the ids schemathesis makes up
    are others' or none, 404, wherever the database's sequences have moved on)."""
    if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
        return
    if case.operation.path != NOTIFICATION_READ:
        return
    if not _notifications:
        _notifications.extend(row["id"] for row in _as_caller("/api/v1/notifications/"))
    if _notifications:
        case.path_parameters = {**(case.path_parameters or {}), "id": _notifications[0]}


STRIPE_WEBHOOK = "/api/v1/payments/webhooks/stripe/"


@schemathesis.hook("before_call")
def stripe_signed_positive_cases(context, case, kwargs):
    """Stripe signs its webhook calls with the webhook secret (HMAC of the body), which no
    schema can state: positive cases are signed with the test secret the server is given
    (tests/api/stripe_stand_in.py), exactly over the body as it is sent (``requests`` writes
    ``json=`` with ``json.dumps``). Negative cases keep what was generated (400)."""
    if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
        return
    if case.operation.path != STRIPE_WEBHOOK or not isinstance(case.body, dict):
        return
    payload = json.dumps(case.body, allow_nan=False)
    signature = stripe.WebhookSignature.generate_signature_header(payload, WEBHOOK_SECRET)
    case.headers = {**(case.headers or {}), "Stripe-Signature": signature}
