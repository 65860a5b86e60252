"""Record the schema's 2xx JSON examples from the demo data (``realestate/api/examples.py``).

    make demo && .venv/bin/python manage.py api_examples_record

Every operation whose answer has no example of the view's own is called as the demo's app
user it serves (tenant1 for ``/tenant/``, ``/me/`` and devices, owner1 for ``/owner/``, agent1
for the rest), with the operation's request example as its body, on the first record of its
list that answers 2xx. All of it inside one transaction, rolled back: nothing is written.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from realestate.api.examples import EXAMPLES_DIR

HOST = "https://backoffice.example.com"
#: Bodies of operations without a request example of their own.
BODIES = {
    "v1_agent_clients_partial_update": {"phone": "+971 50 555 0142"},
    "v1_agent_leads_partial_update": {"notes": "Prefers a high floor; call after 6 pm."},
    "v1_agent_viewings_cancel_create": {"reason": "The client asked to postpone."},
}
#: Operations not recorded: their answers are files, or they change the caller's session.
SKIP_PREFIXES = ("/api/v1/auth/", "/api/v1/payments/webhooks/")


class Rollback(Exception):
    pass


def caller_of(path: str) -> str:
    if path.startswith("/api/v1/owner/"):
        return "owner1"
    if path.startswith(("/api/v1/tenant/", "/api/v1/me/", "/api/v1/devices/")):
        return "tenant1"
    return "agent1"


def own_example(content: dict) -> bool:
    examples = content.get("examples") or {}
    return "example" in content or any(name != "Recorded" for name in examples)


def trimmed(value):
    if isinstance(value, dict) and isinstance(value.get("results"), list):
        return {**value, "results": value["results"][:2]}
    if isinstance(value, list):
        return value[:2]
    return value


class Command(BaseCommand):
    help = "Record the API schema's answer examples from the demo data (nothing is written)."

    def add_arguments(self, parser):
        parser.add_argument("--only", help="Record this operationId only.")

    def handle(self, *args, only=None, **options):
        users = {
            user.username: user
            for user in get_user_model().objects.filter(
                username__in=["tenant1", "owner1", "agent1"]
            )
        }
        if len(users) != 3:
            raise CommandError("The demo data is not here: run `make demo` first.")
        schema = SchemaGenerator().get_schema(request=None, public=True)
        recorded, missed = 0, []
        try:
            with transaction.atomic():
                for path, operations in schema["paths"].items():
                    for method, operation in operations.items():
                        if only and operation.get("operationId") != only:
                            continue
                        outcome = self.record(path, method, operation, users)
                        if outcome is True:
                            recorded += 1
                        elif outcome:
                            missed.append(outcome)
                raise Rollback
        except Rollback:
            pass
        for line in missed:
            self.stderr.write(line)
        self.stdout.write(f"examples_recorded={recorded} missed={len(missed)}")
        if missed:
            raise CommandError("Some operations answered no 2xx: see above.")

    def record(self, path, method, operation, users):
        if path.startswith(SKIP_PREFIXES):
            return None
        codes = [code for code in operation.get("responses", {}) if str(code).startswith("2")]
        if not codes:
            return None
        content = (operation["responses"][codes[0]].get("content") or {}).get("application/json")
        if content is None or own_example(content):
            return None
        op_id = operation["operationId"]
        client = APIClient()
        client.force_authenticate(users[caller_of(path)])
        body = self.body_of(operation, client)
        for url in self.urls(client, path):
            sid = transaction.savepoint()
            response = (
                getattr(client, method)(
                    url, body, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
                )
                if method in ("post", "patch", "put")
                else client.get(url)
            )
            if 200 <= response.status_code < 300 and response.get("Content-Type", "").startswith(
                "application/json"
            ):
                text = json.dumps(trimmed(response.json()), ensure_ascii=False)
                value = json.loads(text.replace("http://testserver", HOST))
                example = {
                    "status": response.status_code,
                    "summary": f"{caller_of(path)}'s answer, recorded from the demo data",
                    "value": value,
                }
                (EXAMPLES_DIR / f"{op_id}.json").write_text(
                    json.dumps(example, indent=2, ensure_ascii=False) + "\n"
                )
                transaction.savepoint_rollback(sid)
                self.stdout.write(f"{op_id}: {response.status_code}")
                return True
            transaction.savepoint_rollback(sid)
        return f"{op_id}: {method.upper()} {path} answered no 2xx as {caller_of(path)}"

    def body_of(self, operation, client) -> dict:
        """The request example, its ids and times made the demo's: the caller's first client
        and a unit it may reserve or lease, a time a week ahead."""
        content = (operation.get("requestBody") or {}).get("content", {}).get("application/json")
        examples = (content or {}).get("examples") or {}
        body = dict(next(iter(examples.values()))["value"]) if examples else {}
        body.update(BODIES.get(operation["operationId"], {}))
        if "client" in body:
            body["client"] = self.first_id(client, "/api/v1/agent/clients/")
        if "unit" in body:
            if operation["operationId"].startswith("v1_tenant_"):
                leases = client.get("/api/v1/tenant/leases/").json()["results"]
                body["unit"] = next(
                    row["unit"]["id"] for row in leases if row["status"] == "active"
                )
            else:
                body["unit"] = self.first_id(client, "/api/v1/units/?available=true")
        if "scheduled_at" in body:
            when = timezone.localtime() + timedelta(days=7)
            body["scheduled_at"] = when.replace(
                hour=16, minute=30, second=0, microsecond=0
            ).isoformat()
        return body

    def first_id(self, client, url):
        data = client.get(url).json()
        rows = data.get("results", data) if isinstance(data, dict) else data
        return rows[0]["id"]

    def urls(self, client, path):
        """``path`` with its id filled by each record of its list in turn (the first ten)."""
        if "{" not in path:
            yield path
            return
        head, _, tail = path.partition("{")
        name, _, rest = tail.partition("}")
        listing = client.get(head)
        rows = []
        if listing.status_code == 200:
            data = listing.json()
            rows = data.get("results", data) if isinstance(data, dict) else data
        for row in rows[:10]:
            yield f"{head}{row['id']}{rest}"
