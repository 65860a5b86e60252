"""Answers recorded from the demo data, shown as the examples of the schema's 2xx answers.

``manage.py api_examples_record`` calls every operation of the schema as the demo's app users
(tenant1, owner1, agent1) against the demo data, inside a transaction it rolls back, and keeps
each JSON answer (lists cut to their first two rows) in ``examples/<operationId>.json``. The
schema hook ``recorded_examples`` attaches them where a view gave no example of its own, and
``tests/api/test_examples.py`` holds every 2xx JSON answer to have one that its schema
accepts: a serializer that changes without a new recording fails there.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"


@cache
def recorded(operation_id: str) -> dict | None:
    path = EXAMPLES_DIR / f"{operation_id}.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())


def recorded_examples(result, generator, request, public):
    """drf-spectacular post-processing hook: a 2xx JSON answer without examples gets its
    recorded one."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "operationId" not in operation:
                continue
            for code, response in operation.get("responses", {}).items():
                if not str(code).startswith("2"):
                    continue
                content = (response.get("content") or {}).get("application/json")
                if content is None or content.get("examples") or "example" in content:
                    continue
                example = recorded(operation["operationId"])
                if example is not None and str(example.get("status")) == str(code):
                    content["examples"] = {
                        "Recorded": {
                            "value": example["value"],
                            "summary": example.get("summary", "Recorded from the demo data"),
                        }
                    }
    return result
