"""Single-record grants by hand, the audit log, and exports of personal data."""

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from import_export.formats import base_formats

from realestate.accounts.roles import (
    ACCOUNTANT,
    ADMINISTRATOR,
    AUDITOR,
    LEASING_MANAGER,
    SALES_AGENT,
    SALES_MANAGER,
)
from realestate.clients.models import Client
from realestate.properties.models import Unit
from tests.factories import (
    AgentFactory,
    BranchFactory,
    ClientFactory,
    ReceivableFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def permissions_url(obj, suffix="", *args):
    opts = obj._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_permissions{suffix}", args=[obj.pk, *args]
    )


def access_button(obj) -> bytes:
    opts = obj._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_object_access", args=[obj.pk]
    ).encode()


@pytest.fixture
def administrator(roles):
    return UserFactory(username="office-admin", roles=[ADMINISTRATOR])


def test_administrator_grants_one_unit_to_an_agent(client, administrator):
    unit, other = UnitFactory(code="GRANTED"), UnitFactory(code="NOT-GRANTED")
    agent = UserFactory(username="helper-agent", roles=[SALES_AGENT])
    client.force_login(administrator)

    page = client.get(reverse("admin:properties_unit_change", args=[unit.pk]))
    assert access_button(unit) in page.content
    assert client.get(access_button(unit).decode()).url == permissions_url(unit)
    response = client.post(
        permissions_url(unit), {"user": "helper-agent", "submit_manage_user": "1"}
    )
    assert response.status_code == 302
    response = client.post(
        permissions_url(unit, "_manage_user", agent.pk),
        {"permissions": ["view_unit", "change_unit"]},
    )
    assert response.status_code == 302

    assert set(Unit.objects.restrict(agent, "view")) == {unit}
    assert set(Unit.objects.restrict(agent, "change")) == {unit}
    assert other not in Unit.objects.restrict(agent, "view")
    entry = LogEntry.objects.get(object_id=str(unit.pk), user=administrator)
    assert "helper-agent" in entry.get_change_message()
    assert "change_unit" in entry.get_change_message()


def test_administrator_withdraws_a_grant(client, administrator):
    unit = UnitFactory(code="WITHDRAWN")
    agent = UserFactory(username="leaving-agent", roles=[SALES_AGENT])
    client.force_login(administrator)
    client.post(permissions_url(unit, "_manage_user", agent.pk), {"permissions": ["view_unit"]})
    assert Unit.objects.restrict(agent, "view").exists()

    # A browser sends the CSRF token with no box ticked; the form needs some POST data.
    client.post(permissions_url(unit, "_manage_user", agent.pk), {"csrfmiddlewaretoken": "-"})

    assert not Unit.objects.restrict(agent, "view").exists()


def test_grant_to_a_group_reaches_its_members(client, administrator):
    unit = UnitFactory(code="TEAM-UNIT")
    team = Group.objects.create(name="Marina team")
    member = UserFactory(username="team-member")
    member.groups.add(team)
    client.force_login(administrator)

    client.post(permissions_url(unit, "_manage_group", team.pk), {"permissions": ["view_unit"]})

    assert set(Unit.objects.restrict(member, "view")) == {unit}


def test_read_only_records_take_access_from_their_parent(client, administrator):
    """Receivables are read-only: no Access button; their contract or lease gives access."""
    receivable = ReceivableFactory()
    client.force_login(administrator)

    page = client.get(reverse("admin:finance_receivable_change", args=[receivable.pk]))

    assert page.status_code == 200
    assert access_button(receivable) not in page.content
    assert client.get(permissions_url(receivable)).status_code == 403


@pytest.mark.parametrize("role", [SALES_AGENT, SALES_MANAGER, AUDITOR])
def test_other_roles_cannot_hand_out_access(client, roles, role):
    user = UserFactory(username="no-granting", roles=[role])
    unit = UnitFactory(code="MINE", agent=user)
    client.force_login(user)

    assert client.get(permissions_url(unit)).status_code == 403
    response = client.post(
        permissions_url(unit, "_manage_user", user.pk), {"permissions": ["delete_unit"]}
    )
    assert response.status_code == 403
    assert not Unit.objects.restrict(user, "delete").exists()
    page = client.get(reverse("admin:properties_unit_change", args=[unit.pk]))
    if page.status_code == 200:
        assert access_button(unit) not in page.content


def test_role_membership_changes_are_in_the_audit_log(client, superuser, roles):
    user = UserFactory(username="promoted", roles=[SALES_AGENT])
    client.force_login(superuser)
    data = {
        "username": "promoted",
        "first_name": "",
        "last_name": "",
        "email": "",
        "phone": "",
        "is_active": "on",
        "is_staff": "on",
        "groups": [Group.objects.get(name=SALES_MANAGER).pk],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
    }

    response = client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    message = LogEntry.objects.get(object_id=str(user.pk)).get_change_message()
    assert f"+{SALES_MANAGER}" in message and f"−{SALES_AGENT}" in message


@pytest.mark.parametrize(
    "role,status", [(AUDITOR, 200), (ADMINISTRATOR, 200), (SALES_AGENT, 403), (ACCOUNTANT, 403)]
)
def test_audit_log_is_for_administrators_and_auditors(client, roles, role, status):
    UnitFactory(code="LOGGED")
    actor = UserFactory(username="actor")
    unit = Unit.objects.get(code="LOGGED")
    LogEntry.objects.log_actions(
        actor.pk, [unit], 2, change_message="Changed the price.", single_object=True
    )
    client.force_login(UserFactory(username="reader", roles=[role]))

    response = client.get(reverse("admin:admin_logentry_changelist"))

    assert response.status_code == status
    if status == 200:
        assert b"Changed the price." in response.content
        assert b"LOGGED" in response.content
        entry = response.context["cl"].result_list[0]
        assert (
            client.get(reverse("admin:admin_logentry_change", args=[entry.pk])).status_code == 200
        )
        assert (
            client.post(
                reverse("admin:admin_logentry_delete", args=[entry.pk]), {"post": "yes"}
            ).status_code
            == 403
        )


def export_clients(client):
    formats = [type(f()) for f in admin.site._registry[Client].get_export_formats()]
    return client.post(
        reverse("admin:clients_client_export"),
        {"format": str(formats.index(base_formats.CSV)), "resource": "0"},
    )


def test_auditor_cannot_export_personal_data(client, roles):
    ClientFactory(name="Private Person")
    auditor = UserFactory(username="auditor-x", roles=[AUDITOR])
    client.force_login(auditor)

    page = client.get(reverse("admin:clients_client_changelist"))
    assert page.status_code == 200  # reading is allowed
    assert reverse("admin:clients_client_export").encode() not in page.content
    assert export_clients(client).status_code == 403
    # Non-personal records stay exportable to the auditor.
    assert admin.site._registry[Unit].has_export_permission(page.wsgi_request)


def test_auditor_given_the_permission_exports_clients(client, roles):
    ClientFactory(name="Private Person")
    auditor = UserFactory(username="auditor-y", roles=[AUDITOR])
    auditor.user_permissions.add(Permission.objects.get(codename="export_personal_data"))
    client.force_login(auditor)

    response = export_clients(client)

    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["Name"] for row in rows] == ["Private Person"]


@pytest.mark.parametrize(
    "role,allowed",
    [
        (ADMINISTRATOR, True),
        (SALES_MANAGER, True),
        (LEASING_MANAGER, True),
        (ACCOUNTANT, True),
        (SALES_AGENT, False),
        (AUDITOR, False),
    ],
)
def test_who_exports_personal_data_is_what_the_readme_says(client, roles, role, allowed):
    """Agents and auditors export no list of people: an agent leaving with the client list is
    the leak this permission exists for. The README's role table says the same."""
    user = UserFactory(username=f"exporter-{role.lower().replace(' ', '-')}", roles=[role])
    if role in (SALES_MANAGER, SALES_AGENT):  # a client of their own, or of their branch
        agent = AgentFactory(
            user=UserFactory(username="their-agent", roles=[SALES_AGENT]),
            branch=BranchFactory(manager=user),
        ).user
        ClientFactory(name="Private Person", agent=user if role == SALES_AGENT else agent)
    client.force_login(user)
    assert export_clients(client).status_code == (200 if allowed else 403)
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    line = next(text for text in readme.splitlines() if text.startswith("- **Personal data**"))
    paragraph = " ".join(readme[readme.index(line) :].split("\n\n")[0].split())
    named = f"the {role}" in paragraph
    assert named != allowed, (
        f"the README's personal-data paragraph must name {role} only if it may not export"
    )
