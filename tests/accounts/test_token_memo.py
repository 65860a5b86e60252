"""An access token's signature and claims are checked once per process; its expiry, the user
and the revocations on every request."""

from datetime import timedelta

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt import tokens, utils
from rest_framework_simplejwt.tokens import AccessToken

from realestate.accounts.api import authentication
from realestate.accounts.api.authentication import RefreshToken
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def bearer(access):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return api


def test_a_token_is_checked_once_then_kept_by_its_bytes(monkeypatch):
    user = UserFactory(is_superuser=True)
    access = str(RefreshToken.for_user(user).access_token)
    checks = []
    real = AccessToken.verify
    monkeypatch.setattr(AccessToken, "verify", lambda self: checks.append(1) or real(self))

    assert [bearer(access).get(ME).status_code for _ in range(3)] == [200, 200, 200]
    assert len(checks) == 1
    assert list(authentication._validated) == [access.encode()]


def test_a_kept_token_is_refused_once_it_expires(monkeypatch):
    user = UserFactory(is_superuser=True)
    access = str(RefreshToken.for_user(user).access_token)
    assert bearer(access).get(ME).status_code == 200

    later = utils.aware_utcnow() + timedelta(minutes=16)  # ACCESS_TOKEN_LIFETIME: 15 minutes
    monkeypatch.setattr(authentication, "aware_utcnow", lambda: later)
    monkeypatch.setattr(tokens, "aware_utcnow", lambda: later)
    response = bearer(access).get(ME)
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"
    assert access.encode() not in authentication._validated


def test_a_forged_token_is_never_taken_for_a_kept_one():
    user = UserFactory(is_superuser=True)
    other = UserFactory()
    access = str(RefreshToken.for_user(other).access_token)
    assert bearer(access).get(ME).status_code == 200
    header, payload, signature = access.split(".")
    forged = AccessToken(access, verify=False)
    forged["user_id"] = str(user.pk)
    _, forged_payload, _ = str(forged).split(".")
    for token in (f"{header}.{forged_payload}.{signature}", f"{header}.{payload}.{signature}x"):
        assert bearer(token).get(ME).status_code == 401
    assert list(authentication._validated) == [access.encode()]


def test_the_revocations_still_hold_for_a_kept_token():
    user = UserFactory(username="kept")
    refresh = RefreshToken.for_user(user)
    access = str(refresh.access_token)
    assert bearer(access).get(ME).status_code == 200

    user.set_password("another-Passw0rd-7")
    user.save()
    assert bearer(access).get(ME).status_code == 401


def test_the_memo_keeps_at_most_its_size(monkeypatch):
    monkeypatch.setattr(authentication, "VALIDATED_MAX", 4)
    users = UserFactory.create_batch(6)
    for user in users:
        assert bearer(str(RefreshToken.for_user(user).access_token)).get(ME).status_code == 200
    assert 1 <= len(authentication._validated) <= 4
