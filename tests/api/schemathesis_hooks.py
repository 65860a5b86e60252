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
