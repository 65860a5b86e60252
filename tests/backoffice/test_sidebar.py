"""The sidebar shows each role the sections and lists it may use, and nothing else."""

import pytest
from django.urls import reverse

from realestate.accounts.roles import (
    ACCOUNTANT,
    ADMINISTRATOR,
    AUDITOR,
    LEASING_MANAGER,
    SALES_AGENT,
    SALES_MANAGER,
)
from realestate.backoffice.navigation import SIDEBAR_NAVIGATION
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

EVERYTHING = {str(item["title"]) for section in SIDEBAR_NAVIGATION for item in section["items"]}
JOBS = {"Schedules", "Successful jobs", "Failed jobs", "Queued jobs"}

EXPECTED = {
    ADMINISTRATOR: EVERYTHING,
    AUDITOR: EVERYTHING - JOBS,
    ACCOUNTANT: {
        "Dashboard",
        "Projects",
        "Units",
        "Clients",
        "Reservations",
        "Sale contracts",
        "Payment plans",
        "Commissions",
        "Leases",
        "Maintenance",
        "Vendors",
        "Receivables",
        "Payments",
        "Allocations",
        "Reversals",
        "Online payment events",
        "Late-fee policies",
        "Expenses",
        "Owner statements",
        "Imports",  # opening balances and historical payments
        "Templates",
        "Company profile",
        "Branch letterheads",
        "Documents",
    },
    # Without a branch yet: the lists they may add to, the catalogue and the organisation.
    SALES_MANAGER: {
        "Dashboard",
        "Imports",  # they may add clients and leads, so import them
        "Projects",
        "Buildings",
        "Amenities",
        "Clients",
        "Leads",
        "Viewings",
        "Reservations",
        "Sale contracts",
        "Payment plans",
        "Branches",
        "Agents",
        "Inventory snapshots",
        "Documents",  # those of the projects they read
        "Delivery log",  # the messages sent, to send failed ones again
    },
    # Nothing assigned yet: no units, commissions, leases or money.
    SALES_AGENT: {
        "Dashboard",
        "Imports",  # they may add leads, so import them
        "Projects",
        "Buildings",
        "Amenities",
        "Clients",
        "Leads",
        "Viewings",
        "Reservations",
        "Sale contracts",
        "Payment plans",
        "Documents",  # those of the projects they read
    },
    # No portfolio yet: leasing lists to add to, vendors, clients and the money they keep.
    LEASING_MANAGER: {
        "Dashboard",
        "Imports",  # they may add amenities and vendors, so import them
        "Amenities",
        "Clients",
        "Leases",
        "Maintenance",
        "Vendors",
        "Late-fee policies",
        "Expenses",
        "Documents",  # those of every client and vendor
        "Delivery log",  # the messages sent, to send failed ones again
    },
}

# Whoever sees records may generate their documents, in batches too: every staff user has
# the list of the batches they started; and, as every list exports, of their exports.
for _titles in EXPECTED.values():
    _titles.update({"Batches", "Exports"})


def href(item) -> str:
    return str(item.get("link_callback") or item["link"])


def sidebar_titles(client, user) -> set[str]:
    """The titles of the sidebar links rendered for ``user`` on the dashboard."""
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    shown = {
        str(item["title"])
        for group in response.context["sidebar_navigation"]
        for item in group["items"]
        if item["has_permission"]
    }
    html = response.content.decode()
    for group in response.context["sidebar_navigation"]:
        for item in group["items"]:
            rendered = f'href="{href(item)}"' in html
            assert rendered or not item["has_permission"], item["title"]
    return shown


@pytest.mark.parametrize("role", list(EXPECTED))
def test_sidebar_per_role(client, roles, role):
    user = UserFactory(username="role-user", roles=[role], is_superuser=False)
    assert sidebar_titles(client, user) == EXPECTED[role]


def test_every_link_shown_opens(client, roles):
    """No role is shown a link that answers 403."""
    for role in EXPECTED:
        user = UserFactory(username=f"opener-{role.lower().replace(' ', '-')}", roles=[role])
        client.force_login(user)
        response = client.get(reverse("admin:index"))
        for group in response.context["sidebar_navigation"]:
            for item in group["items"]:
                if item["has_permission"]:
                    assert client.get(href(item)).status_code == 200, (role, item["title"])
        # The dashboard's figures link to lists the user may open, too.
        for group in response.context["kpi_groups"]:
            for kpi in group["kpis"]:
                assert client.get(kpi["href"]).status_code == 200, (role, kpi["title"])


def test_a_new_agent_is_sent_to_add_a_client_not_to_a_refused_list(client, roles):
    agent = UserFactory(username="first-day", roles=[SALES_AGENT])
    client.force_login(agent)
    response = client.get(reverse("admin:index"))
    links = {
        str(item["title"]): href(item)
        for group in response.context["sidebar_navigation"]
        for item in group["items"]
        if item["has_permission"]
    }

    assert links["Clients"] == reverse("admin:clients_client_add")
    assert links["Projects"] == reverse("admin:properties_project_changelist")


def test_an_assignment_adds_the_list_to_the_agents_sidebar(client, roles):
    agent = UserFactory(username="new-agent", roles=[SALES_AGENT])
    assert "Units" not in sidebar_titles(client, agent)

    UnitFactory(agent=agent)

    assert "Units" in sidebar_titles(client, agent)
