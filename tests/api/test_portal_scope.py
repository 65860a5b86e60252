"""Owners and tenants see their own records through ``restrict()``, whichever door; staff
rules do not change."""

import pytest

from realestate.clients.models import Client
from realestate.finance.models import OwnerStatement, Payment, Receivable
from realestate.leasing.models import Lease, MaintenanceRequest
from realestate.properties.models import Unit
from tests.factories import ClientFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def ids(queryset):
    return set(queryset.values_list("pk", flat=True))


def test_a_tenant_sees_their_leases_invoices_payments_and_requests_only(first, second):
    user = first.tenant.user

    assert ids(Lease.objects.restrict(user)) == {first.lease.pk, first.past_lease.pk}
    assert ids(Receivable.objects.restrict(user)) == {r.pk for r in first.invoices}
    assert ids(Payment.objects.restrict(user)) == {first.payment.pk}
    assert ids(MaintenanceRequest.objects.restrict(user)) == {first.request.pk}
    assert ids(Client.objects.restrict(user)) == {first.tenant.client.pk}
    assert ids(Unit.objects.restrict(user)) == set()
    assert ids(OwnerStatement.objects.restrict(user)) == set()


def test_an_owner_sees_their_units_statements_and_their_units_requests(first, second):
    user = first.owner.user

    assert ids(Unit.objects.restrict(user)) == {first.unit.pk, first.past_lease.unit_id}
    assert ids(OwnerStatement.objects.restrict(user)) == {first.statement.pk}
    assert ids(MaintenanceRequest.objects.restrict(user)) == {first.request.pk}
    assert ids(Lease.objects.restrict(user)) == set()
    assert ids(Receivable.objects.restrict(user)) == set()
    assert ids(Payment.objects.restrict(user)) == set()


@pytest.mark.parametrize("action", ["change", "delete"])
def test_portal_users_only_ever_see(first, action):
    assert not Lease.objects.restrict(first.tenant.user, action).exists()
    assert not Unit.objects.restrict(first.owner.user, action).exists()


def test_one_client_can_be_tenant_and_owner(first):
    UnitFactory(code="OWNED-BY-TENANT", owner=first.tenant.client)

    assert ids(Unit.objects.restrict(first.tenant.user)) == {
        Unit.objects.get(code="OWNED-BY-TENANT").pk
    }
    assert Lease.objects.restrict(first.tenant.user).count() == 2


def test_a_staff_user_gets_nothing_from_a_client_record_that_names_them(agent1, first):
    # A client whose app login were a staff user (refused by Client.clean) would still open
    # nothing: the portal rule is for non-staff users only.
    Client.objects.filter(pk=first.tenant.client.pk).update(portal_user=agent1)

    assert not Lease.objects.restrict(agent1).filter(pk=first.lease.pk).exists()


def test_an_inactive_portal_user_sees_nothing(first):
    first.tenant.user.is_active = False
    first.tenant.user.save()

    assert not Lease.objects.restrict(first.tenant.user).exists()


def test_a_login_without_a_client_sees_nothing(first):
    nobody = UserFactory(username="nobody", is_staff=False)
    ClientFactory(portal_user=None)

    assert not Receivable.objects.restrict(nobody).exists()
    assert not Unit.objects.restrict(nobody).exists()


def test_portal_users_cannot_log_in_to_the_admin(client, first):
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "tenant1", "password": "tenant1"}
    )

    assert response.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
