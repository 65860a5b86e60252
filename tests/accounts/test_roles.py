"""Roles are groups whose permissions are declared in code and kept in sync."""

import pytest
from django.contrib.auth.models import Group, Permission

from realestate.accounts.roles import (
    ADMINISTRATOR,
    AUDITOR,
    ROLES,
    SALES_AGENT,
    SALES_MANAGER,
    roles_sync,
)
from realestate.properties.models import Unit
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def group_permissions() -> dict[str, set[str]]:
    return {
        group.name: {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        for group in Group.objects.filter(name__in=ROLES)
    }


def test_sync_twice_second_run_changes_nothing():
    roles_sync()
    first = group_permissions()

    changes = roles_sync()

    assert changes == dict.fromkeys(ROLES, 0)
    assert group_permissions() == first


def test_first_sync_creates_every_role_with_permissions():
    Group.objects.filter(name__in=ROLES).delete()

    changes = roles_sync()

    assert set(changes) == set(ROLES)
    assert all(count > 0 for count in changes.values())
    assert set(group_permissions()) == set(ROLES)


def test_sync_restores_a_role_edited_by_hand():
    roles_sync()
    declared = group_permissions()
    agents = Group.objects.get(name=SALES_AGENT)
    agents.permissions.add(Permission.objects.get(codename="delete_unit"))
    agents.permissions.remove(Permission.objects.get(codename="add_lead"))

    changes = roles_sync()

    assert changes[SALES_AGENT] == 2
    assert changes[ADMINISTRATOR] == 0
    assert group_permissions() == declared


def test_sales_agent_has_no_global_unit_permissions():
    roles_sync()
    perms = group_permissions()[SALES_AGENT]

    assert "properties.view_unit" not in perms
    assert "properties.change_unit" not in perms
    assert "clients.view_client" not in perms
    assert {"clients.add_client", "clients.add_lead", "properties.view_project"} <= perms


def test_sales_agent_sees_only_assigned_units():
    roles_sync()
    agent = UserFactory(roles=[SALES_AGENT])
    mine = UnitFactory(agent=agent)
    UnitFactory()

    assert not agent.has_perm("properties.view_unit")
    assert list(Unit.objects.restrict(agent, "view")) == [mine]


@pytest.mark.parametrize("role", [AUDITOR, ADMINISTRATOR])
def test_office_roles_see_every_unit(role):
    roles_sync()
    user = UserFactory(roles=[role])
    UnitFactory.create_batch(2)

    assert user.has_perm("properties.view_unit")
    assert Unit.objects.restrict(user, "view").count() == 2


def test_sales_manager_without_a_branch_sees_no_unit():
    roles_sync()
    manager = UserFactory(roles=[SALES_MANAGER])
    UnitFactory.create_batch(2)

    assert not manager.has_perm("properties.view_unit")
    assert Unit.objects.restrict(manager, "view").count() == 0


def test_auditor_is_read_only():
    roles_sync()
    perms = group_permissions()[AUDITOR]

    assert perms
    assert all(name.split(".")[1].startswith("view_") for name in perms)


def test_migrate_brings_the_roles_in_step():
    """Deploys need no extra step: every migrate syncs the roles with the fixture."""
    from django.core.management import call_command

    agents = Group.objects.get(name=SALES_AGENT)
    agents.permissions.add(Permission.objects.get(codename="delete_unit"))

    call_command("migrate", verbosity=0)

    assert not agents.permissions.filter(codename="delete_unit").exists()
    assert roles_sync() == dict.fromkeys(ROLES, 0)
