"""``/api/v1/me/``: who the caller is, and what they may change of themselves."""

import pytest

from realestate.accounts.choices import NotificationTopic
from tests.factories import ClientFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/"
ALL_ON = dict.fromkeys(NotificationTopic.values, True)


def test_a_tenant_is_a_tenant_with_their_client_profile(jwt_client, first):
    body = jwt_client(first.tenant.user).get(URL).json()

    assert body == {
        "id": first.tenant.user.pk,
        "username": "tenant1",
        "kinds": ["tenant"],
        "name": "Tenant 1",
        "email": first.tenant.client.email,
        "phone": first.tenant.client.phone,
        "address": "",
        "client": first.tenant.client.pk,
        "notification_preferences": ALL_ON,
        "online_payment": False,
    }


def test_me_says_whether_invoices_can_be_paid_online(jwt_client, first, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_x"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_x"
    assert jwt_client(first.tenant.user).get(URL).json()["online_payment"] is True
    settings.STRIPE_SECRET_KEY = ""
    assert jwt_client(first.tenant.user).get(URL).json()["online_payment"] is False


def test_an_owner_is_an_owner_and_one_person_can_be_both(jwt_client, first):
    assert jwt_client(first.owner.user).get(URL).json()["kinds"] == ["owner"]
    UnitFactory(owner=first.tenant.client)
    assert jwt_client(first.tenant.user).get(URL).json()["kinds"] == ["tenant", "owner"]


def test_an_agent_is_agent_and_staff_and_others_staff(jwt_client, agent1, superuser):
    agent = jwt_client(agent1).get(URL).json()
    assert agent["kinds"] == ["agent", "staff"]
    assert agent["client"] is None and agent["address"] is None
    assert jwt_client(superuser).get(URL).json()["kinds"] == ["staff"]


def test_an_app_login_whose_client_has_nothing_yet_has_no_kind(jwt_client, roles):
    user = UserFactory(username="new-client", is_staff=False)
    ClientFactory(portal_user=user)

    assert jwt_client(user).get(URL).json()["kinds"] == []


def test_without_a_token_it_is_401(client):
    assert client.get(URL).status_code == 401


def test_a_client_changes_their_contact_details_on_their_client_record(jwt_client, first):
    response = jwt_client(first.tenant.user).patch(
        URL,
        {"phone": "+971 55 000 1111", "address": "Villa 9, Palm Jumeirah"},
        format="json",
    )

    assert response.status_code == 200, response.content
    first.tenant.client.refresh_from_db()
    assert first.tenant.client.phone == "+971 55 000 1111"
    assert first.tenant.client.address == "Villa 9, Palm Jumeirah"
    assert response.json()["phone"] == "+971 55 000 1111"


def test_notification_preferences_merge(jwt_client, first):
    api = jwt_client(first.owner.user)

    api.patch(URL, {"notification_preferences": {"statements": False}}, format="json")
    body = api.patch(URL, {"notification_preferences": {"payments": False}}, format="json").json()

    assert body["notification_preferences"] == {**ALL_ON, "statements": False, "payments": False}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"notification_preferences": {"statements": "no"}}, "notification_preferences.statements"),
        ({"notification_preferences": ["statements"]}, "notification_preferences.non_field_errors"),
        ({"email": "not-an-address"}, "email"),
        ({"phone": 971500000000}, "phone"),
    ],
)
def test_bad_values_are_400_in_the_one_shape(jwt_client, first, data, field):
    response = jwt_client(first.tenant.user).patch(URL, data, format="json")

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"code", "detail", "fields"}
    assert body["code"] == "invalid"
    assert field in body["fields"]


def test_a_client_keeps_an_email_or_a_phone(jwt_client, first):
    response = jwt_client(first.tenant.user).patch(URL, {"email": "", "phone": ""}, format="json")

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "non_field_errors": ["A client needs an email address or a phone number."]
    }


def test_staff_change_their_own_user_and_have_no_address(jwt_client, agent1):
    api = jwt_client(agent1)

    assert api.patch(URL, {"phone": "+971 4 000 0000"}, format="json").status_code == 200
    agent1.refresh_from_db()
    assert agent1.phone == "+971 4 000 0000"
    refused = api.patch(URL, {"address": "Somewhere"}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "refused"


def test_malformed_json_is_a_parse_error(jwt_client, first):
    response = jwt_client(first.tenant.user).generic(
        "PATCH", URL, "{nope", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
