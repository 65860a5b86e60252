"""API tokens end when they should: on logout, on refresh (rotation), on a password change
anywhere, and on deactivation."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from realestate.accounts.models import User
from realestate.core.models import SharedCounter
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
LOGOUT = "/api/v1/auth/logout/"
UNITS = "/api/v1/units/"
NEW_PASSWORD = "a-new-Passw0rd-42"


@pytest.fixture
def user():
    return UserFactory(username="mobile", is_superuser=True)  # password "pass"


def log_in(username="mobile", password="pass"):
    response = APIClient().post(TOKEN, {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def bearer(access):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return api


def refresh(token):
    return APIClient().post(REFRESH, {"refresh": token}, format="json")


def assert_all_revoked(pair):
    assert bearer(pair["access"]).get(UNITS).status_code == 401
    assert refresh(pair["refresh"]).status_code == 401


# --- Refresh rotation ---------------------------------------------------------------------


def test_refresh_rotates_and_the_used_refresh_token_is_spent(user):
    pair = log_in()

    first = refresh(pair["refresh"])
    assert first.status_code == 200
    rotated = first.json()
    assert rotated["refresh"] != pair["refresh"]
    assert bearer(rotated["access"]).get(UNITS).status_code == 200

    assert refresh(pair["refresh"]).status_code == 401
    assert refresh(rotated["refresh"]).status_code == 200


# --- Logout -------------------------------------------------------------------------------


def test_a_logout_is_kept_in_the_database_and_read_with_the_caller(
    user,
    settings,
    redis_url,
    django_assert_num_queries,
):
    """With Redis counting the API's calls, a logged-out token is still a database counter:
    the query that reads the caller reads it too."""
    settings.REDIS_URL = redis_url
    pair, other_device = log_in(), log_in()
    api, other = bearer(pair["access"]), bearer(other_device["access"])
    other.get("/api/v1/me/")
    # The caller, their epoch and the token's denial in one query; then their agent profile.
    with django_assert_num_queries(2):
        assert other.get("/api/v1/me/").status_code == 200

    assert api.post(LOGOUT, {"refresh": pair["refresh"]}, format="json").status_code == 204

    assert api.get("/api/v1/me/").status_code == 401
    assert other.get("/api/v1/me/").status_code == 200
    denied = SharedCounter.objects.get(key__startswith="jwt-denied:")
    assert denied.expires_at > time.time()


def test_logout_revokes_this_devices_refresh_and_access_tokens_at_once(user):
    pair = log_in()
    other_device = log_in()
    api = bearer(pair["access"])

    response = api.post(LOGOUT, {"refresh": pair["refresh"]}, format="json")

    assert response.status_code == 204
    assert_all_revoked(pair)
    assert api.post(LOGOUT, {"refresh": pair["refresh"]}, format="json").status_code == 401
    # The user's other device stays logged in.
    assert bearer(other_device["access"]).get(UNITS).status_code == 200
    assert refresh(other_device["refresh"]).status_code == 200


def test_logged_out_access_token_no_longer_reaches_files(user, settings, tmp_path):
    from realestate.properties.models import UnitPhoto

    settings.MEDIA_ROOT = tmp_path
    photo = UnitPhoto.objects.create(
        unit=UnitFactory(agent=user), image=SimpleUploadedFile("a.gif", b"GIF89a", "image/gif")
    )
    pair = log_in()
    api = bearer(pair["access"])
    assert api.get(photo.image.url).status_code == 200

    api.post(LOGOUT, {"refresh": pair["refresh"]}, format="json")

    assert api.get(photo.image.url).status_code == 404


def test_logout_needs_the_access_token_and_a_refresh_token_of_ones_own(user):
    pair = log_in()
    UserFactory(username="other")
    others = log_in("other")

    assert APIClient().post(LOGOUT, {"refresh": pair["refresh"]}, format="json").status_code == 401
    api = bearer(pair["access"])
    assert api.post(LOGOUT, {}, format="json").status_code == 400
    assert api.post(LOGOUT, {"refresh": "garbage"}, format="json").status_code == 400
    refused = api.post(LOGOUT, {"refresh": others["refresh"]}, format="json")
    assert refused.status_code == 400
    assert "refresh" in refused.json()["fields"]
    # Nothing was revoked by the refused calls.
    assert refresh(others["refresh"]).status_code == 200
    assert api.get(UNITS).status_code == 200


# --- Every token of a user ----------------------------------------------------------------


def test_set_password_anywhere_revokes_every_token(user):
    pairs = [log_in(), log_in()]

    user.set_password(NEW_PASSWORD)
    user.save()

    for pair in pairs:
        assert_all_revoked(pair)
    fresh = log_in(password=NEW_PASSWORD)
    assert bearer(fresh["access"]).get(UNITS).status_code == 200
    assert refresh(fresh["refresh"]).status_code == 200


def test_set_password_saved_with_update_fields_revokes_too(user):
    pair = log_in()

    user.set_password(NEW_PASSWORD)
    user.save(update_fields=["password"])

    assert_all_revoked(pair)


def test_admin_password_form_revokes_every_token(user, admin_client):
    pair = log_in()

    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 302
    assert_all_revoked(pair)


def test_admin_disabling_password_login_revokes_every_token(user, admin_client):
    pair = log_in()

    admin_client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"usable_password": "false", "unset-password": "1"},
    )

    user.refresh_from_db()
    assert not user.has_usable_password()
    assert_all_revoked(pair)


def test_own_password_change_revokes_every_token(user, client):
    pair = log_in()
    client.force_login(user)

    response = client.post(
        reverse("admin:password_change"),
        {"old_password": "pass", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert_all_revoked(pair)


def test_deactivation_revokes_every_token_for_good(user, admin_client):
    pair = log_in()

    user.is_active = False
    user.save()
    assert_all_revoked(pair)

    # Turned back on, the account does not bring its old tokens back.
    user.is_active = True
    user.save()
    assert_all_revoked(pair)
    assert bearer(log_in()["access"]).get(UNITS).status_code == 200


def test_deactivation_in_the_admin_revokes_every_token(user, admin_client):
    pair = log_in()
    url = reverse("admin:accounts_user_change", args=[user.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("password", "last_login", "date_joined")
    }
    data.update(
        {
            "is_active": "",
            "groups": [],
            "user_permissions": [],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not User.objects.get(pk=user.pk).is_active
    user.is_active = True
    user.save()
    assert_all_revoked(pair)


def test_rehash_of_the_same_password_at_login_keeps_tokens(user, settings):
    pair = log_in()
    # New hasher parameters: the next login stores a new hash of the same password.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]
    old_hash = User.objects.get(pk=user.pk).password

    log_in()

    assert User.objects.get(pk=user.pk).password != old_hash
    assert bearer(pair["access"]).get(UNITS).status_code == 200
    assert refresh(pair["refresh"]).status_code == 200


def test_saving_an_instance_loaded_before_the_revocation_keeps_it(user):
    pair = log_in()
    stale = User.objects.get(pk=user.pk)
    user.set_password(NEW_PASSWORD)
    user.save()

    stale.first_name = "Stale"
    stale.save()

    assert_all_revoked(pair)


def test_other_saves_keep_tokens(user):
    pair = log_in()

    user.first_name = "Renamed"
    user.save()
    user.is_active = True
    user.save(update_fields=["is_active"])

    assert bearer(pair["access"]).get(UNITS).status_code == 200


def test_saving_other_fields_first_does_not_forget_a_new_password(user):
    pair = log_in()

    user.set_password(NEW_PASSWORD)
    user.save(update_fields=["first_name"])
    user.save()

    assert_all_revoked(pair)


def test_nightly_job_deletes_expired_tokens_and_counters(user):
    from datetime import timedelta

    from django.utils import timezone
    from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

    from realestate.accounts.tasks import expired_tokens_flush
    from realestate.core import counters
    from realestate.core.models import SharedCounter

    live = log_in()
    bearer(live["access"]).post(LOGOUT, {"refresh": live["refresh"]}, format="json")
    old = OutstandingToken.objects.create(
        user=user, jti="old", token="x", expires_at=timezone.now() - timedelta(seconds=1)
    )
    BlacklistedToken.objects.create(token=old)
    SharedCounter.objects.create(key="gone", count=1, expires_at=0)
    counters.hit("kept", 60)

    expired_tokens_flush()

    assert not OutstandingToken.objects.filter(jti="old").exists()
    assert OutstandingToken.objects.count() == BlacklistedToken.objects.count() == 1
    assert set(SharedCounter.objects.values_list("key", flat=True)) >= {"kept"}
    assert not SharedCounter.objects.filter(key="gone").exists()
    # The logged-out token is still refused: its blacklist entry outlives the job.
    assert refresh(live["refresh"]).status_code == 401
