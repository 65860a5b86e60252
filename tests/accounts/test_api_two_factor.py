"""The API's token endpoint asks for the second factor the admin login asks for."""

import pytest
from django.contrib.auth.models import Group
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from realestate.accounts.models import RolePolicy
from realestate.accounts.roles import ACCOUNTANT
from realestate.accounts.twofactor import new_backup_codes
from tests.accounts.test_two_factor import code_for, wrong_code
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
UNITS = "/api/v1/units/"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    settings.LOGIN_MAX_FAILURES = 3
    settings.LOGIN_MAX_FAILURES_PER_IP = 50


@pytest.fixture
def enrolled():
    user = UserFactory(username="secure", is_superuser=True)  # password "pass"
    return user, TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def token(otp=None, username="secure", password="pass"):
    data = {"username": username, "password": password}
    if otp is not None:
        data["otp"] = otp
    return APIClient().post(TOKEN, data, format="json")


def test_password_alone_is_refused_with_otp_required(enrolled):
    response = token()

    assert response.status_code == 401
    assert response.json()["code"] == "otp_required"
    assert response.json()["detail"]
    assert "access" not in response.json()
    assert token(otp="").json()["code"] == "otp_required"


def test_wrong_code_is_refused_with_otp_invalid(enrolled):
    _user, device = enrolled

    response = token(otp=wrong_code(device))

    assert response.status_code == 401
    assert response.json()["code"] == "otp_invalid"
    assert "access" not in response.json()


def test_right_code_gives_working_tokens(enrolled):
    _user, device = enrolled

    response = token(otp=code_for(device))

    assert response.status_code == 200
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    assert api.get(UNITS).status_code == 200


def test_backup_code_works_once(enrolled):
    user, _device = enrolled
    code = new_backup_codes(user)[0]

    assert token(otp=code).status_code == 200
    assert not StaticToken.objects.filter(device__user=user, token=code).exists()

    again = token(otp=code)
    assert again.status_code == 401
    assert again.json()["code"] == "otp_invalid"


def test_wrong_password_with_right_code_says_nothing_about_the_code(enrolled):
    _user, device = enrolled

    response = token(otp=code_for(device), password="wrong")

    assert response.status_code == 401
    assert response.json()["code"] == "no_active_account"


def test_wrong_codes_count_towards_the_lockout(enrolled):
    _user, device = enrolled
    assert token(otp=wrong_code(device)).status_code == 401
    assert token(otp=wrong_code(device)).status_code == 401

    third = token(otp=wrong_code(device))
    assert third.status_code == 429
    assert third["Retry-After"] == str(15 * 60)
    # Locked: the right code does not help either.
    assert token(otp=code_for(device)).status_code == 429


def test_role_requiring_two_factor_without_device_must_enrol_first(roles):
    RolePolicy.objects.create(group=Group.objects.get(name=ACCOUNTANT), require_two_factor=True)
    UserFactory(username="counter", roles=[ACCOUNTANT])

    response = token(username="counter")

    assert response.status_code == 401
    assert response.json()["code"] == "otp_enrolment_required"
    assert "enrol" in response.json()["detail"]
    assert "admin" in response.json()["detail"]


def test_role_requiring_two_factor_with_device_asks_for_the_code(roles):
    RolePolicy.objects.create(group=Group.objects.get(name=ACCOUNTANT), require_two_factor=True)
    user = UserFactory(username="counter", roles=[ACCOUNTANT])
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)

    assert token(username="counter").json()["code"] == "otp_required"
    assert token(username="counter", otp=code_for(device)).status_code == 200


def test_users_without_two_factor_still_log_in_with_the_password(db):
    UserFactory(username="plain")
    unconfirmed = UserFactory(username="halfway")
    TOTPDevice.objects.create(user=unconfirmed, name="app", confirmed=False)

    assert token(username="plain").status_code == 200
    assert token(username="halfway").status_code == 200


def test_schema_documents_otp_and_the_refusal_codes(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    post = schema["paths"][TOKEN]["post"]
    request = schema["components"]["schemas"]["TokenObtainRequest"]

    assert "otp" in request["properties"]
    assert "otp" not in request["required"]
    assert "backup code" in request["properties"]["otp"]["description"]
    refusal = post["responses"]["401"]["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][refusal.rsplit("/", 1)[1]]
    assert set(body["properties"]) == {"detail", "code"}
    codes = schema["components"]["schemas"][body["properties"]["code"]["$ref"].rsplit("/", 1)[1]][
        "enum"
    ]
    assert {"otp_required", "otp_invalid", "otp_enrolment_required"} <= set(codes)
    assert {"200", "400", "401", "429"} <= set(post["responses"])
