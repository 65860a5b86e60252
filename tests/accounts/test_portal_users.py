"""Owners and tenants are portal (mobile app) users, never staff."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import ClientFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_client_app_login_cannot_be_a_staff_login(roles):
    staff = UserFactory(username="office-person", is_staff=True)
    client = ClientFactory(portal_user=None)
    client.portal_user = staff

    with pytest.raises(ValidationError) as error:
        client.full_clean()

    assert "portal_user" in error.value.message_dict


def test_the_admin_refuses_to_make_a_client_login_staff(client, superuser):
    tenant_login = UserFactory(username="tenant-app", is_staff=False)
    ClientFactory(name="Tenant Person", portal_user=tenant_login)
    client.force_login(superuser)
    data = {
        "username": "tenant-app",
        "first_name": "",
        "last_name": "",
        "email": "",
        "phone": "",
        "is_active": "on",
        "is_staff": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
    }

    response = client.post(reverse("admin:accounts_user_change", args=[tenant_login.pk]), data)

    assert response.status_code == 200
    assert "Tenant Person" in str(response.context["adminform"].form.errors["is_staff"])
    tenant_login.refresh_from_db()
    assert not tenant_login.is_staff
