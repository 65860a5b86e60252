"""What the API remembers of a user between requests (``core.access``: their roles'
permissions and the summary of their grants) never outlives a change: a grant taken away, a
role lost or changed, a deactivation or a password change is refused on the very next request,
in this process and in any other."""

import pytest
from django.contrib.auth.models import Group, Permission
from guardian.shortcuts import assign_perm, remove_perm

from realestate.core import access, permissions
from realestate.core.models import SharedCounter
from tests.factories import UnitFactory, UserFactory

URL = "/api/v1/units/"

pytestmark = pytest.mark.django_db


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [unit["code"] for unit in response.json()["results"]]


def remembered(user) -> bool:
    return user.pk in access._entries


@pytest.fixture
def epoch():
    """The shared epoch's row, as the migration leaves it (tests that flush tables lose it)."""
    SharedCounter.objects.get_or_create(
        key=access.EPOCH_KEY, defaults={"count": 0, "expires_at": access.EPOCH_EXPIRES}
    )


@pytest.fixture
def own(agent1, epoch):
    return UnitFactory(code="A1-UNIT", agent=agent1)


def test_the_second_request_reads_no_permission(jwt_client, agent1, own, django_assert_num_queries):
    client = jwt_client(agent1)
    assert codes(client.get(URL)) == ["A1-UNIT"]
    assert remembered(agent1)

    # The user with the epoch and the revoked-token check, the rate counter, the page (which
    # counts the list: it fits on it).
    with django_assert_num_queries(3):
        assert codes(client.get(URL)) == ["A1-UNIT"]


def test_the_scope_is_built_once_until_a_grant_changes(jwt_client, agent1, own, monkeypatch):
    built = []
    original = permissions._own_grants

    def counting(user, model, action, narrow):
        if narrow is None:  # a page's narrowing (its first grants, a circle) is the request's own
            built.append((model._meta.model_name, action))
        return original(user, model, action, narrow)

    monkeypatch.setattr(permissions, "_own_grants", counting)
    client = jwt_client(agent1)
    for _ in range(3):
        assert codes(client.get(URL)) == ["A1-UNIT"]
    assert built == [("unit", "view")]

    other = UnitFactory(code="A1-OTHER")
    assign_perm("properties.view_unit", agent1, other)
    assert codes(client.get(URL)) == ["A1-OTHER", "A1-UNIT"]
    assert built == [("unit", "view")] * 2


def test_a_grant_taken_away_is_refused_at_once(jwt_client, agent1, own):
    client = jwt_client(agent1)
    assert codes(client.get(URL)) == ["A1-UNIT"]
    assert client.get(f"{URL}{own.pk}/").status_code == 200

    remove_perm("properties.view_unit", agent1, own)
    remove_perm("properties.change_unit", agent1, own)

    assert codes(client.get(URL)) == []
    assert client.get(f"{URL}{own.pk}/").status_code == 404


def test_a_reassignment_moves_the_unit_at_once(jwt_client, agent1, agent2, own):
    first, second = jwt_client(agent1), jwt_client(agent2)
    assert codes(first.get(URL)) == ["A1-UNIT"]
    assert codes(second.get(URL)) == []

    own.agent = agent2
    own.save()

    assert codes(first.get(URL)) == []
    assert codes(second.get(URL)) == ["A1-UNIT"]


def test_a_grant_given_shows_at_once(jwt_client, agent1, own):
    other = UnitFactory(code="B-UNIT")
    client = jwt_client(agent1)
    assert codes(client.get(URL)) == ["A1-UNIT"]

    assign_perm("properties.view_unit", agent1, other)

    assert codes(client.get(URL)) == ["A1-UNIT", "B-UNIT"]


def test_a_deactivated_user_is_refused_at_once(jwt_client, agent1, own):
    client = jwt_client(agent1)
    assert codes(client.get(URL)) == ["A1-UNIT"]

    agent1.is_active = False
    agent1.save()

    assert client.get(URL).status_code == 401


def test_a_password_change_is_refused_at_once(jwt_client, agent1, own):
    client = jwt_client(agent1)
    assert codes(client.get(URL)) == ["A1-UNIT"]

    agent1.set_password("another password")
    agent1.save()

    assert client.get(URL).status_code == 401


def test_a_role_lost_is_refused_at_once(jwt_client, viewer):
    """A role (group) that sees every unit, then taken away: the user sees only their own."""
    client = jwt_client(viewer)
    assert codes(client.get(URL)) == ["ANY-UNIT"]

    viewer.groups.clear()

    assert codes(client.get(URL)) == []


def test_a_role_changed_is_refused_at_once(jwt_client, viewer):
    """The role keeps the user; the role loses the permission."""
    user, viewers = viewer, viewer.groups.get()
    view_unit = Permission.objects.get(codename="view_unit")
    client = jwt_client(user)
    assert codes(client.get(URL)) == ["ANY-UNIT"]

    viewers.permissions.remove(view_unit)
    assert codes(client.get(URL)) == []

    user.user_permissions.add(view_unit)  # a permission of the user's own
    assert codes(client.get(URL)) == ["ANY-UNIT"]

    user.user_permissions.remove(view_unit)
    assert codes(client.get(URL)) == []

    viewers.permissions.add(view_unit)
    assert codes(client.get(URL)) == ["ANY-UNIT"]
    viewers.delete()  # its memberships go with it, without a signal of their own
    assert codes(client.get(URL)) == []


@pytest.fixture
def viewer(epoch):
    """A staff user whose role (group) sees every unit."""
    UnitFactory(code="ANY-UNIT")
    viewers = Group.objects.create(name="Unit viewers")
    viewers.permissions.add(Permission.objects.get(codename="view_unit"))
    user = UserFactory(username="viewer", is_staff=True)
    user.groups.add(viewers)
    return user


def membership_delete_elsewhere(user) -> None:
    """What another process's change looks like from here: the row is gone, no signal ran."""
    local = permissions._grants_version
    user.groups.through.objects.filter(user=user)._raw_delete("default")
    assert permissions._grants_version == local


def test_another_process_sees_the_change_through_the_shared_epoch(jwt_client, viewer):
    client = jwt_client(viewer)
    assert codes(client.get(URL)) == ["ANY-UNIT"]

    membership_delete_elsewhere(viewer)
    # This process still answers from what it remembers (the cache is really used)...
    assert codes(client.get(URL)) == ["ANY-UNIT"]
    # ...until the other process's commit counts the shared epoch up.
    access.epoch_bump()

    assert codes(client.get(URL)) == []


def test_a_grant_deleted_elsewhere_needs_no_epoch(jwt_client, agent1, own):
    """Only which kinds of grants a user holds is remembered: the grants themselves are read
    by the list's own query, so a grant deleted by another process is refused at once."""
    client = jwt_client(agent1)
    assert codes(client.get(URL)) == ["A1-UNIT"]

    own.unituserobjectpermission_set.all()._raw_delete("default")

    assert codes(client.get(URL)) == []
    assert client.get(f"{URL}{own.pk}/").status_code == 404


def test_without_the_epoch_nothing_is_remembered(jwt_client, agent1, own):
    SharedCounter.objects.filter(key=access.EPOCH_KEY).delete()
    client = jwt_client(agent1)

    assert codes(client.get(URL)) == ["A1-UNIT"]
    assert not remembered(agent1)


@pytest.mark.django_db(transaction=True)
def test_a_committed_grant_change_counts_the_shared_epoch_up(agent1, epoch):
    unit = UnitFactory(code="A1-UNIT")
    before = SharedCounter.objects.get(key=access.EPOCH_KEY).count

    assign_perm("properties.view_unit", agent1, unit)
    after_grant = SharedCounter.objects.get(key=access.EPOCH_KEY).count
    remove_perm("properties.view_unit", agent1, unit)
    after_revoke = SharedCounter.objects.get(key=access.EPOCH_KEY).count

    assert before < after_grant < after_revoke


def test_an_entry_is_trusted_for_max_age_at_most(jwt_client, viewer, monkeypatch):
    """A change made in SQL by hand, nobody told: answered from the database again after
    ``MAX_AGE`` seconds."""
    client = jwt_client(viewer)
    assert codes(client.get(URL)) == ["ANY-UNIT"]
    membership_delete_elsewhere(viewer)
    assert codes(client.get(URL)) == ["ANY-UNIT"]

    later = access.time.monotonic() + access.MAX_AGE + 1
    monkeypatch.setattr(access.time, "monotonic", lambda: later)

    assert codes(client.get(URL)) == []
