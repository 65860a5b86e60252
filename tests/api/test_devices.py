"""``/api/v1/devices/``: push tokens of the caller's devices."""

import pytest

from realestate.accounts.models import Device

pytestmark = pytest.mark.django_db

URL = "/api/v1/devices/"


def test_register_list_and_forget_a_device(jwt_client, first):
    api = jwt_client(first.tenant.user)

    created = api.post(
        URL, {"platform": "ios", "push_token": "tok-1", "name": "Phone"}, format="json"
    )

    assert created.status_code == 201, created.content
    assert [d["push_token"] for d in api.get(URL).json()["results"]] == ["tok-1"]
    assert api.delete(f"{URL}{created.json()['id']}/").status_code == 204
    assert not Device.objects.exists()


def test_a_token_registered_again_moves_to_its_new_user(jwt_client, first, second):
    jwt_client(first.tenant.user).post(
        URL, {"platform": "android", "push_token": "t"}, format="json"
    )
    jwt_client(second.tenant.user).post(
        URL, {"platform": "android", "push_token": "t"}, format="json"
    )

    assert Device.objects.get().user == second.tenant.user


def test_another_users_device_is_404_and_stays(jwt_client, first, second):
    device = Device.objects.create(user=second.tenant.user, platform="ios", push_token="theirs")
    api = jwt_client(first.tenant.user)

    assert api.delete(f"{URL}{device.pk}/").status_code == 404
    assert api.get(URL).json()["count"] == 0
    assert Device.objects.filter(pk=device.pk).exists()


def test_a_bad_platform_is_named(jwt_client, agent1):
    response = jwt_client(agent1).post(
        URL, {"platform": "symbian", "push_token": "x"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["platform"]
