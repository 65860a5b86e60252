"""Schemathesis against the live schema: ``st run --checks all`` on the app served by
pytest-django's live server, with the schema the app serves at ``/api/schema/``.

Every operation is called with the schema's examples, its boundary cases (coverage), random
valid and invalid data (fuzzing) and chains of calls (stateful), and every check applies: no
5xx, only documented status codes, content types and headers, bodies that match the schema,
valid requests accepted and invalid ones refused, authentication enforced where declared.
The client logs in through the token endpoint: as a field agent who sees some units for the
staff endpoints, and as a client who rents and owns for the owners' and tenants' endpoints
(``/tenant/``, ``/owner/``; both runs take ``/me/``), each run only where its caller is served.

Rate limits and the login lockout are raised for this test: a 429 would hide what a request
really gets (both are documented, and tested in tests/api/test_throttling.py).

To explore beyond the fixed seed and bounds, run ``st`` by hand against ``make run``, e.g.
``st run http://127.0.0.1:8000/api/schema/ --checks all -n 200`` with a token header.
"""

import os
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from realestate.documents.services import document_add
from realestate.properties.choices import UnitStatus, UnitType
from realestate.properties.models import Unit
from tests.api.portal import tenancy
from tests.factories import (
    BuildingFactory,
    ClientFactory,
    LeadFactory,
    MaintenanceRequestFactory,
    OwnerStatementFactory,
    ProjectFactory,
    UnitFactory,
    ViewingFactory,
)
from tests.notifications.live_support import lease_ending

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PDF_TYPE = "application/pdf"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
SEED = 20260501
MAX_EXAMPLES = 15  # per operation, for fuzzing and for stateful runs
TIMEOUT_S = 600  # the run itself takes about three minutes on two cores

# Every warning fails the run too: a login that does not work (every call 401), throttling,
# a schema that refuses most of what the app accepts or the reverse.
CONFIG = """
[warnings]
fail-on = true

[generation]
database = "none"

[auth.dynamic.openapi.jwtAuth]
path = "/api/v1/auth/token/"
payload = {{ username = "{username}", password = "{password}" }}
extract_selector = "/access"
"""


@pytest.fixture
def field_agent(agent1, agent2, settings, tmp_path, stripe_on):
    """agent1 sees 55 units (two pages), some with every optional field empty, and the
    documents of a few (a PDF in two versions, a photo, an expired ID scan); agent2 has one
    unit of their own, with a document, which agent1 must not see."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.API_RATE_USER = settings.API_RATE_ANON = settings.API_RATE_TOKEN = ""
    settings.LOGIN_MAX_FAILURES = settings.LOGIN_MAX_FAILURES_PER_IP = 1_000_000
    agent1.set_password("agent1")
    agent1.save()
    building = BuildingFactory(project=ProjectFactory(code="marina-heights"))
    for n in range(50):
        UnitFactory(
            code=f"MH-{n:03d}",
            project=building.project,
            building=building,
            agent=agent1,
            status=UnitStatus.AVAILABLE if n % 3 else UnitStatus.RESERVED,
            monthly_rent=Decimal("9500.00") if n % 2 else None,
        )
    for n in range(5):  # stand-alone, nothing optional filled in
        UnitFactory(
            code=f"RS-{n:03d}",
            project=None,
            unit_type=UnitType.LAND,
            floor=None,
            list_price=None,
            location=None,
            agent=agent1,
        )
    other = UnitFactory(code="OTHER", agent=agent2)
    units = Unit.objects.filter(agent=agent1).order_by("code")
    for n, unit in enumerate(units[:8]):
        document_add(record=unit, kind="title_deed", title="Deed", file=PDF, content_type=PDF_TYPE)
        if n % 2:
            document_add(
                record=unit, kind="title_deed", title="Deed", file=PDF, content_type=PDF_TYPE
            )
        document_add(
            record=unit,
            kind="id_scan",
            title="Owner ID",
            file=PNG,
            content_type="image/png",
            original_name="owner-id.png",
            expires_on=date(2020, 1, 1),
        )
    document_add(record=other, kind="other", title="Not agent1's", file=PDF, content_type=PDF_TYPE)
    client = ClientFactory(name="Agent's client", agent=agent1)
    LeadFactory(client=client, agent=agent1)  # for the pipeline's moves
    ClientFactory(name="Other agent's client", agent=agent2)
    for days in (1, 2):  # the calendar feed's rows, and an id to reschedule, check in...
        ViewingFactory(
            client=client,
            unit=units[0],
            agent=agent1,
            scheduled_at=timezone.now() + timedelta(days=days),
        )
    for step in ("90", "60", "30"):  # the notification centre's rows, and ids to mark read
        lease_ending(agent1, units[0], step=step)
    return agent1


@pytest.fixture
def portal_client(roles, settings, stripe_on):
    """tenant1 rents a unit and owns another (with a statement); tenant2's records, which
    tenant1 must not see, are there too."""
    settings.API_RATE_USER = settings.API_RATE_ANON = settings.API_RATE_TOKEN = ""
    settings.LOGIN_MAX_FAILURES = settings.LOGIN_MAX_FAILURES_PER_IP = 1_000_000
    first, _second = tenancy(1), tenancy(2)
    owned = UnitFactory(code="OWN-1", owner=first.tenant.client)
    OwnerStatementFactory(owner=first.tenant.client)
    MaintenanceRequestFactory(unit=owned, title="Repaint")
    return first.tenant.user


PORTAL = r"^/api/v1/(tenant|owner)/"
RUNS = {
    # caller: (fixture, password, what the run leaves out or takes only)
    "agent": ("field_agent", "agent1", ["--exclude-path-regex", PORTAL]),
    "portal": ("portal_client", "tenant1", ["--include-path-regex", rf"{PORTAL}|^/api/v1/me/"]),
}


@pytest.mark.parametrize("caller", RUNS)
def test_the_api_keeps_to_its_schema(live_server, request, tmp_path, caller):
    fixture, password, selection = RUNS[caller]
    username = request.getfixturevalue(fixture).username
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG.format(username=username, password=password))
    command = [
        sys.executable, "-m", "schemathesis.cli",
        "--config-file", str(config),
        "run", f"{live_server.url}/api/schema/",
        "--checks", "all",
        "--max-examples", str(MAX_EXAMPLES),
        "--seed", str(SEED),
        "--workers", "1",
        "--no-color",
        "--output-truncate", "false",
        *selection,
    ]  # fmt: skip
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SCHEMATHESIS_HOOKS": "tests.api.schemathesis_hooks",
        "API_BASE_URL": live_server.url,
        "API_USERNAME": username,
        "API_PASSWORD": password,
    }

    run = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=TIMEOUT_S
    )

    print(run.stdout, run.stderr)  # the report, shown with -s
    assert run.returncode == 0, run.stdout + run.stderr
