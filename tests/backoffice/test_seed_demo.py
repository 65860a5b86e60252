"""``seed_demo``: the demo logins and inventory that ``make run`` loads into an empty database."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from realestate.accounts.models import User
from realestate.accounts.roles import (
    ACCOUNTANT,
    ADMINISTRATOR,
    AUDITOR,
    LEASING_MANAGER,
    SALES_AGENT,
    SALES_MANAGER,
)
from realestate.clients.models import Client, Lead
from realestate.properties.models import Building, Project, Unit

LOGINS = {
    "admin": ADMINISTRATOR,
    "manager": SALES_MANAGER,
    "agent1": SALES_AGENT,
    "agent2": SALES_AGENT,
    "leasing": LEASING_MANAGER,
    "accountant": ACCOUNTANT,
    "auditor": AUDITOR,
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    call_command("seed_demo", units=200, clients=10, stdout=StringIO())
    return {name: User.objects.get(username=name) for name in LOGINS}


def test_creates_the_demo_logins(seeded):
    for username, role in LOGINS.items():
        user = seeded[username]
        assert user.check_password(username), username
        assert user.is_active and user.is_staff
        assert list(user.groups.values_list("name", flat=True)) == [role]
    assert seeded["admin"].is_superuser
    assert not any(seeded[name].is_superuser for name in LOGINS if name != "admin")


def test_creates_inventory(seeded):
    assert Unit.objects.count() >= 200
    assert Project.objects.exists()
    projects_with_buildings = Project.objects.filter(buildings__isnull=False).distinct()
    assert projects_with_buildings.exists()
    for building in Building.objects.select_related("project"):
        assert building.project_id is not None
        assert building.location is not None
    # Units in a building belong to that building's project.
    assert (
        not Unit.objects.filter(building__isnull=False)
        .exclude(project=F("building__project"))
        .exists()
    )
    assert not Unit.objects.filter(location__isnull=True).exists()


def test_creates_crm_records(seeded):
    assert Client.objects.count() == 10
    assert Lead.objects.exists()


def test_agents_see_non_empty_disjoint_unit_sets(seeded):
    seen = {
        name: set(Unit.objects.restrict(seeded[name], "view").values_list("pk", flat=True))
        for name in ("agent1", "agent2")
    }

    assert seen["agent1"]
    assert seen["agent2"]
    assert seen["agent1"].isdisjoint(seen["agent2"])
    # Each sees exactly the units assigned to them.
    for name in ("agent1", "agent2"):
        assigned = set(Unit.objects.filter(agent=seeded[name]).values_list("pk", flat=True))
        assert seen[name] == assigned


def test_office_roles_see_everything(seeded):
    total = Unit.objects.count()

    for name in ("admin", "auditor"):
        assert Unit.objects.restrict(seeded[name], "view").count() == total, name


def test_demo_managers_see_their_branch_and_portfolio(seeded):
    downtown_agents = Unit.objects.filter(agent__agent_profile__branch__manager=seeded["manager"])
    assert downtown_agents.exists()
    assert set(Unit.objects.restrict(seeded["manager"], "view")) == set(downtown_agents)
    portfolio = Unit.objects.filter(project__manager=seeded["leasing"])
    assert portfolio.exists()
    assert set(Unit.objects.restrict(seeded["leasing"], "view")) == set(portfolio)


def test_agents_may_change_their_own_units_only(seeded):
    agent1, agent2 = seeded["agent1"], seeded["agent2"]
    own = Unit.objects.filter(agent=agent1).first()

    assert agent1.has_perm("properties.change_unit", own)
    assert not agent2.has_perm("properties.change_unit", own)


def test_second_run_changes_nothing(seeded):
    counts = (
        User.objects.count(),
        Unit.objects.count(),
        Project.objects.count(),
        Building.objects.count(),
        Client.objects.count(),
        Lead.objects.count(),
    )
    out = StringIO()

    call_command("seed_demo", units=200, clients=10, stdout=out)

    assert (
        User.objects.count(),
        Unit.objects.count(),
        Project.objects.count(),
        Building.objects.count(),
        Client.objects.count(),
        Lead.objects.count(),
    ) == counts
    assert "already loaded" in out.getvalue()


def test_if_empty_run_is_quiet(seeded):
    out = StringIO()

    call_command("seed_demo", "--if-empty", stdout=out)

    assert out.getvalue() == ""


@pytest.mark.parametrize("username", ["tenant1", "tenant2"])
def test_app_tenants_have_leases_invoices_payments_and_a_request(seeded, jwt_client, username):
    user = User.objects.get(username=username)
    assert user.check_password(username) and not user.is_staff
    api = jwt_client(user)

    assert api.get("/api/v1/me/").json()["kinds"] == ["tenant"]
    for url in ("leases", "invoices", "payments", "maintenance"):
        assert api.get(f"/api/v1/tenant/{url}/").json()["count"] > 0, url


@pytest.mark.parametrize("username", ["owner1", "owner2"])
def test_app_owners_own_let_units_with_statements(seeded, jwt_client, username):
    user = User.objects.get(username=username)
    assert user.check_password(username) and not user.is_staff
    api = jwt_client(user)

    units = api.get("/api/v1/owner/units/").json()["results"]
    assert any(unit["occupancy"] == "occupied" for unit in units)
    assert api.get("/api/v1/owner/statements/").json()["count"] > 0
    assert api.get("/api/v1/me/").json()["kinds"] == ["owner"]


def test_every_demo_name_makes_a_valid_email_address():
    from django.core.validators import validate_email

    from realestate.clients.demo import COMPANIES, FIRST, LAST, demo_email

    names = [f"{first} {last}" for first in FIRST for last in LAST] + COMPANIES
    for n, name in enumerate(names):
        validate_email(demo_email(name, n))  # raises for "aisha.müller.3@example.com"
    assert demo_email("Aisha Müller", 3) == "aisha.muller.3@example.com"
