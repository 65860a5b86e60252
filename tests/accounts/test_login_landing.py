"""Logging in at /admin/login/ with no ``next`` lands on the dashboard, with or without a
second factor (Django's default, /accounts/profile/, does not exist here)."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from realestate.accounts.models import RolePolicy
from realestate.accounts.roles import ACCOUNTANT
from tests.accounts.test_two_factor import code_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")


def log_in(client, username):
    return client.post(LOGIN, {"username": username, "password": "pass"})


def test_password_login_without_next_lands_on_the_dashboard(client):
    UserFactory(username="plain", is_superuser=True)
    response = log_in(client, "plain")
    assert response.status_code == 302
    assert response["Location"] == INDEX
    assert client.get(INDEX).status_code == 200


def test_code_after_password_lands_on_the_dashboard(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = UserFactory(username="secure", is_superuser=True)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)

    assert log_in(client, "secure")["Location"] == INDEX
    ask = client.get(INDEX)
    assert ask.status_code == 302
    page = client.get(ask["Location"])
    next_url = re.search(r'name="next" value="([^"]*)"', page.content.decode()).group(1)
    assert next_url == INDEX
    done = client.post(ask["Location"], {"token": code_for(device), "next": next_url})
    assert done["Location"] == INDEX
    assert client.get(INDEX).status_code == 200


def test_required_enrolment_returns_to_the_dashboard(client, roles):
    RolePolicy.objects.create(group=Group.objects.get(name=ACCOUNTANT), require_two_factor=True)
    UserFactory(username="counter", roles=[ACCOUNTANT])

    assert log_in(client, "counter")["Location"] == INDEX
    enrol = client.get(INDEX)["Location"]
    assert enrol.startswith(reverse("two_factor_enrol"))
    client.get(enrol)
    device = TOTPDevice.objects.get(user__username="counter")
    codes = client.post(enrol, {"token": code_for(device)})
    assert codes.status_code == 200
    assert f'href="{INDEX}"'.encode() in codes.content or f'value="{INDEX}"'.encode() in (
        codes.content
    )
