"""Fixtures of the access tests."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from realestate.accounts.roles import (
    LEASING_MANAGER,
    SALES_AGENT,
    SALES_MANAGER,
)
from tests.accounts.cast import (
    ROLES,
)
from tests.factories import (
    AgentFactory,
    BranchFactory,
    ClientFactory,
    ProjectFactory,
    UserFactory,
)


@pytest.fixture
def cast(roles):
    """A sales manager running the branch of one agent, a leasing manager running the project
    the agent's units stand in, an accountant, an auditor and an administrator (by role, not
    a superuser). Every record below is the agent's, in that project."""
    branch = BranchFactory(code="downtown")
    users = {
        role: UserFactory(username=role.lower().replace(" ", "-"), roles=[role]) for role in ROLES
    }
    for role in (SALES_MANAGER, SALES_AGENT):
        AgentFactory(user=users[role], branch=branch)
    branch.manager = users[SALES_MANAGER]
    branch.save()
    project = ProjectFactory(code="marina-heights", manager=users[LEASING_MANAGER])
    agent = users[SALES_AGENT]
    client = ClientFactory(agent=agent)
    return SimpleNamespace(users=users, agent=agent, project=project, client=client)
