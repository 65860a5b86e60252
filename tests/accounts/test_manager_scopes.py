"""Managers' scopes: a sales manager sees their branch, a leasing manager their portfolio.

A branch's manager holds the grant on the branch, and that grant reaches every record
assigned to the branch's agents; a project's or building's property manager holds the grant
on it, and that grant reaches the buildings, units, leases, maintenance and rent under it.
Both follow the ``manager`` field, as an agent's grants follow their assignments.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse

from realestate.accounts.roles import LEASING_MANAGER, SALES_AGENT, SALES_MANAGER
from realestate.clients.models import Client, Lead
from realestate.finance.models import Payment, Receivable
from realestate.leasing.models import Lease, MaintenanceRequest
from realestate.properties.models import Building, Project, Unit
from realestate.sales.models import Reservation, SaleContract
from tests.factories import (
    AgentFactory,
    BranchFactory,
    BuildingFactory,
    ClientFactory,
    LeadFactory,
    LeaseFactory,
    MaintenanceRequestFactory,
    PaymentFactory,
    ProjectFactory,
    ReceivableFactory,
    ReservationFactory,
    SaleContractFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def visible(model, user):
    return set(model.objects.restrict(user, "view"))


@pytest.fixture
def branches(roles):
    """Two branches with an agent each, and a sales manager running the first."""
    manager = UserFactory(username="branch-manager", roles=[SALES_MANAGER])
    mine = BranchFactory(code="mine", manager=manager)
    other = BranchFactory(code="other")
    agent = AgentFactory(
        branch=mine, user=UserFactory(username="mine-agent", roles=[SALES_AGENT])
    ).user
    stranger = AgentFactory(
        branch=other, user=UserFactory(username="other-agent", roles=[SALES_AGENT])
    ).user
    return manager, mine, agent, stranger


def deal_for(agent):
    """A client, lead, unit, reservation and contract assigned to ``agent``."""
    client = ClientFactory(agent=agent)
    unit = UnitFactory(agent=agent)
    return {
        Client: client,
        Lead: LeadFactory(client=client, agent=agent),
        Unit: unit,
        Reservation: ReservationFactory(unit=UnitFactory(agent=agent), client=client, agent=agent),
        SaleContract: SaleContractFactory(unit=UnitFactory(agent=agent), buyer=client, agent=agent),
    }


def test_sales_manager_sees_what_their_branch_agents_hold(branches):
    manager, _mine, agent, stranger = branches
    ours, theirs = deal_for(agent), deal_for(stranger)

    for model in ours:
        seen = visible(model, manager)
        assert ours[model] in seen, model.__name__
        assert theirs[model] not in seen, model.__name__
    # Changing follows seeing: the branch grant holds view and change.
    assert Client.objects.restrict(manager, "change").filter(pk=ours[Client].pk).exists()
    assert not Client.objects.restrict(manager, "delete").exists()


def test_sales_manager_sees_money_of_their_branch(branches):
    manager, _mine, agent, stranger = branches
    ours, theirs = deal_for(agent), deal_for(stranger)
    our_due = ReceivableFactory(client=ours[Client], contract=ours[SaleContract])
    their_due = ReceivableFactory(client=theirs[Client], contract=theirs[SaleContract])
    our_payment = PaymentFactory(client=ours[Client])
    their_payment = PaymentFactory(client=theirs[Client])

    assert visible(Receivable, manager) == {our_due}
    assert visible(Payment, manager) == {our_payment}
    assert their_due not in visible(Receivable, manager)
    assert their_payment not in visible(Payment, manager)


def test_agent_moving_branch_moves_their_records(branches):
    manager, _mine, agent, _stranger = branches
    ours = deal_for(agent)
    profile = agent.agent_profile
    profile.branch = BranchFactory(code="elsewhere")
    profile.save()

    assert ours[Client] not in visible(Client, manager)


def test_branch_grant_follows_its_manager(branches):
    manager, mine, agent, _stranger = branches
    ours = deal_for(agent)
    successor = UserFactory(username="successor", roles=[SALES_MANAGER])

    mine.manager = successor
    mine.save()

    assert ours[Client] in visible(Client, successor)
    assert ours[Client] not in visible(Client, manager)


@pytest.fixture
def portfolio(roles):
    """A leasing manager managing one project, and a building managed by another."""
    manager = UserFactory(username="property-manager", roles=[LEASING_MANAGER])
    managed = ProjectFactory(code="managed", manager=manager)
    tower = BuildingFactory(project=managed, code="managed-tower")
    other = ProjectFactory(code="other-project")
    other_tower = BuildingFactory(project=other, code="other-tower")
    return manager, managed, tower, other, other_tower


def rented_unit(project, building):
    unit = UnitFactory(
        project=project, building=building, purpose="rent", list_price=None, monthly_rent="9000.00"
    )
    lease = LeaseFactory(unit=unit)
    return (
        unit,
        lease,
        MaintenanceRequestFactory(unit=unit, lease=lease),
        ReceivableFactory(client=lease.tenant, lease=lease, unit=unit),
    )


def test_leasing_manager_sees_everything_under_their_project(portfolio):
    manager, managed, tower, other, other_tower = portfolio
    mine = rented_unit(managed, tower)
    theirs = rented_unit(other, other_tower)

    assert visible(Project, manager) == {managed}
    assert visible(Building, manager) == {tower}
    for model, ours, others in zip(
        (Unit, Lease, MaintenanceRequest, Receivable), mine, theirs, strict=True
    ):
        seen = visible(model, manager)
        assert ours in seen, model.__name__
        assert others not in seen, model.__name__
    assert Lease.objects.restrict(manager, "change").filter(pk=mine[1].pk).exists()


def test_building_manager_sees_that_building_only(roles):
    manager = UserFactory(username="tower-manager", roles=[LEASING_MANAGER])
    project = ProjectFactory(code="two-towers")
    managed = BuildingFactory(project=project, code="tower-a", manager=manager)
    sibling = BuildingFactory(project=project, code="tower-b")
    ours = rented_unit(project, managed)
    theirs = rented_unit(project, sibling)

    assert visible(Project, manager) == set()
    assert visible(Building, manager) == {managed}
    assert visible(Unit, manager) == {ours[0]}
    assert visible(Lease, manager) == {ours[1]}
    assert theirs[1] not in visible(Lease, manager)


def test_leasing_manager_admin_lists_their_leases(client, portfolio):
    manager, managed, tower, other, other_tower = portfolio
    mine = rented_unit(managed, tower)
    theirs = rented_unit(other, other_tower)
    client.force_login(manager)

    response = client.get(reverse("admin:leasing_lease_changelist"))

    assert response.status_code == 200
    assert {lease.pk for lease in response.context["cl"].result_list} == {mine[1].pk}
    assert client.get(reverse("admin:leasing_lease_change", args=[theirs[1].pk])).status_code == 404


def test_manager_field_is_read_only_to_the_manager(client, branches):
    manager, mine, _agent, _stranger = branches
    client.force_login(manager)

    response = client.get(reverse("admin:accounts_branch_change", args=[mine.pk]))

    assert response.status_code == 200
    assert "manager" not in response.context["adminform"].form.fields
    assert "manager" in response.context["adminform"].readonly_fields


def test_administrator_assigns_a_branch_manager_in_the_admin(client, superuser, roles):
    branch = BranchFactory(code="new-office")
    newcomer = UserFactory(username="newcomer", roles=[SALES_MANAGER])
    client.force_login(superuser)
    data = {
        "name": branch.name,
        "code": branch.code,
        "city": branch.city,
        "address": "",
        "phone": "",
        "email": "",
        "manager": newcomer.pk,
        "location": "",
    }

    response = client.post(reverse("admin:accounts_branch_change", args=[branch.pk]), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert newcomer.has_perm("accounts.change_branch", branch)
    assert Group.objects.get(name=SALES_MANAGER) in newcomer.groups.all()


def test_dashboard_counts_only_the_portfolio(client, portfolio):
    manager, managed, tower, other, other_tower = portfolio
    mine, theirs = rented_unit(managed, tower), rented_unit(other, other_tower)
    for lease in (mine[1], theirs[1]):
        lease.status = "active"
        lease.save(update_fields=["status"])
    client.force_login(manager)

    response = client.get(reverse("admin:index"))

    figures = {
        str(kpi["title"]): kpi["value"]
        for group in response.context["kpi_groups"]
        for kpi in group["kpis"]
    }
    assert figures["Active leases"] == 1
    assert figures["Units"] == 1
    assert figures["Open maintenance"] == 1


def form_choices(user, model, obj, field):
    request = RequestFactory().get("/admin/")
    request.user = user
    return admin.site._registry[model].get_form(request, obj).base_fields[field].queryset


def test_sales_manager_assigns_only_to_their_branch_agents(branches):
    manager, _mine, agent, stranger = branches
    client_record = ClientFactory(agent=agent)

    choices = set(form_choices(manager, Client, client_record, "agent"))

    # Not themselves (no agent profile), not another branch's agent: assigning hands out the
    # record's grants, which would outlive their managing the branch.
    assert choices == {agent}
    assert stranger not in choices


def test_agent_and_leasing_manager_cannot_hand_records_away(branches, portfolio):
    _manager, _mine, agent, stranger = branches
    leasing_manager = portfolio[0]
    client_record = ClientFactory(agent=stranger)

    assert set(form_choices(agent, Client, None, "agent")) == {agent}
    assert set(form_choices(leasing_manager, Client, client_record, "agent")) == {stranger}


def test_administrator_assigns_to_anybody(branches, superuser):
    _manager, _mine, agent, stranger = branches

    choices = form_choices(superuser, Client, None, "agent")

    assert {agent, stranger} <= set(choices)


def test_building_manager_keeps_the_project_they_do_not_see(roles):
    manager = UserFactory(username="tower-only", roles=[LEASING_MANAGER])
    project = ProjectFactory(code="unseen-project")
    tower = BuildingFactory(project=project, code="seen-tower", manager=manager)
    unit = UnitFactory(project=project, building=tower)

    assert project not in visible(Project, manager)
    assert project in form_choices(manager, Unit, unit, "project")
    assert project in form_choices(manager, Building, tower, "project")
    # Other projects stay out of reach.
    assert not form_choices(manager, Unit, unit, "project").exclude(pk=project.pk).exists()


def people_offered(client, user, model_name="client", field_name="agent", app_label="clients"):
    client.force_login(user)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": ""},
    )
    if response.status_code != 200:
        return response.status_code
    return {int(row["id"]) for row in response.json()["results"]}


def test_agent_field_autocomplete_offers_whom_one_may_assign(client, branches):
    manager, _mine, agent, stranger = branches

    assert people_offered(client, manager) == {agent.pk}
    assert people_offered(client, agent) == {agent.pk}
    # The users list itself stays closed, and so do people pickers that do not assign.
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert people_offered(client, manager, field_name="portal_user") == 403


def test_administrator_autocomplete_offers_every_agent(client, branches, superuser):
    _manager, _mine, agent, stranger = branches

    assert {agent.pk, stranger.pk} <= people_offered(client, superuser)
