"""Schemathesis hooks for tests/api/test_schemathesis.py (loaded by the ``st`` process).

OpenAPI 3.0 cannot state two rules of this API, so a positive (schema-valid) case is brought in
line with them before it is sent (every phase); negative cases are left alone:

- ``in_bbox``: the minimum of each axis comes before its maximum;
- ``refresh`` (refresh, logout): a refresh token the server issued to the caller. The schema
  can only say "a string", and any other string is refused (401, or 400 on logout).
"""

import os

import requests
import schemathesis
from schemathesis import GenerationMode

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
_rented: list[int] = []


def _rented_unit() -> int:
    """The unit the portal caller rents now (a request is reported on it)."""
    if not _rented:
        token = requests.post(
            f"{BASE_URL}/api/v1/auth/token/",
            json={"username": USERNAME, "password": PASSWORD},
            timeout=30,
        ).json()["access"]
        leases = requests.get(
            f"{BASE_URL}/api/v1/tenant/leases/",
            params={"status": "active"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        ).json()["results"]
        _rented.append(leases[0]["unit"]["id"])
    return _rented[0]


@schemathesis.hook("before_call")
def portal_positive_cases(context, case, kwargs):
    """A valid maintenance request names a unit the caller rents (the schema can only say
    "an id"), and its photos are real images (the schema can only say "a file"): positive
    cases send the rented unit and leave photos out (tests/api/test_tenant.py sends them)."""
    if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
        return
    if case.operation.path == MAINTENANCE and case.method == "POST" and isinstance(case.body, dict):
        case.body["unit"] = _rented_unit()
        case.body.pop("photos", None)
