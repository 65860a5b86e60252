"""Staff two-factor authentication: enrolment, the second login step, backup codes, roles."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from realestate.accounts.models import RolePolicy
from realestate.accounts.roles import ACCOUNTANT, ROLES
from realestate.accounts.twofactor import new_backup_codes
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
VERIFY = reverse("two_factor_verify")
ENROL = reverse("two_factor_enrol")
SECURITY = reverse("two_factor_security")


@pytest.fixture(autouse=True)
def no_otp_backoff(settings):
    """django-otp delays the next try after a wrong code; these tests retry at once."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def code_for(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device):
    return f"{(int(code_for(device)) + 1) % 10**6:06d}"


def password_login(client, username, next_url=INDEX):
    return client.post(
        f"{LOGIN}?next={next_url}", {"username": username, "password": "pass", "next": next_url}
    )


def enrolled_user(username="secure"):
    user = UserFactory(username=username, is_superuser=True)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user, device


def test_enrolment_confirms_device_and_shows_backup_codes_once(client):
    user = UserFactory(username="enroller", is_superuser=True)
    client.force_login(user)

    page = client.get(ENROL)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert "otpauth://totp/" in page.content.decode()
    assert re.search(r"[A-Z2-7]{32}", page.content.decode())

    bad = client.post(ENROL, {"token": wrong_code(device)})
    assert bad.status_code == 200
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    done = client.post(ENROL, {"token": code_for(device)})
    assert done.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    tokens = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(tokens) == 10
    assert all(token in done.content.decode() for token in tokens)
    # Verified by enrolling: the admin opens.
    assert client.get(INDEX).status_code == 200
    # Already enrolled: the enrolment page goes to the self-service page, codes not shown again.
    assert client.get(ENROL)["Location"] == SECURITY


def test_login_asks_for_code_when_enrolled(client):
    user, device = enrolled_user()

    response = password_login(client, "secure")
    assert response.status_code == 302
    admin_page = client.get(INDEX)
    assert admin_page.status_code == 302
    assert admin_page["Location"].startswith(VERIFY)

    wrong = client.post(VERIFY, {"token": wrong_code(device), "next": INDEX})
    assert wrong.status_code == 200
    assert client.get(INDEX).status_code == 302

    ok = client.post(VERIFY, {"token": code_for(device), "next": INDEX})
    assert ok.status_code == 302
    assert ok["Location"] == INDEX
    assert client.get(INDEX).status_code == 200


def test_force_login_without_device_or_requirement_is_let_in(client):
    client.force_login(UserFactory(username="plain", is_superuser=True))

    assert client.get(INDEX).status_code == 200


def test_backup_code_works_once(client):
    user, _device = enrolled_user()
    code = new_backup_codes(user)[0]

    password_login(client, "secure")
    assert client.post(VERIFY, {"token": code, "next": INDEX}).status_code == 302
    assert client.get(INDEX).status_code == 200

    client.post(reverse("admin:logout"))
    password_login(client, "secure")
    again = client.post(VERIFY, {"token": code, "next": INDEX})
    assert again.status_code == 200
    assert client.get(INDEX).status_code == 302


def test_role_requiring_two_factor_forces_enrolment(client, roles):
    group = Group.objects.get(name=ACCOUNTANT)
    RolePolicy.objects.create(group=group, require_two_factor=True)
    user = UserFactory(username="counter", roles=[ACCOUNTANT])
    client.force_login(user)

    for url in (INDEX, reverse("admin:finance_payment_changelist"), SECURITY):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(ENROL)
    # Session-authenticated API calls are refused too.
    assert client.get("/api/v1/units/").status_code == 403

    client.get(ENROL)
    device = TOTPDevice.objects.get(user=user)
    client.post(ENROL, {"token": code_for(device)})
    assert client.get(INDEX).status_code == 200


def test_roles_do_not_require_two_factor_by_default(client, roles):
    assert not RolePolicy.objects.filter(require_two_factor=True).exists()
    client.force_login(UserFactory(username="auditor", roles=[next(iter(ROLES))]))
    assert client.get(INDEX).status_code == 200


def test_self_service_regenerates_backup_codes_and_resets(client):
    user, device = enrolled_user()
    old = set(new_backup_codes(user))
    password_login(client, "secure")
    client.post(VERIFY, {"token": code_for(device), "next": INDEX})

    page = client.get(SECURITY)
    assert page.status_code == 200
    assert "10 backup codes left" in page.content.decode()

    regenerated = client.post(SECURITY, {"action": "backup_codes"})
    new = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(new) == 10 and not (new & old)
    assert all(token in regenerated.content.decode() for token in new)

    reset = client.post(SECURITY, {"action": "reset"})
    assert reset["Location"] == ENROL
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    # Role does not require it: the admin stays open without a device.
    assert client.get(INDEX).status_code == 200


def test_account_menu_links_to_self_service(client):
    client.force_login(UserFactory(username="menu", is_superuser=True))

    assert SECURITY in client.get(INDEX).content.decode()


def test_group_admin_edits_role_policy(client, roles):
    client.force_login(UserFactory(username="boss", is_superuser=True))
    group = Group.objects.get(name=ACCOUNTANT)
    url = reverse("admin:auth_group_change", args=[group.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "require_two_factor" in page.content.decode()


def test_admin_action_resets_a_users_two_factor(client):
    user, _device = enrolled_user("lostphone")
    new_backup_codes(user)
    client.force_login(UserFactory(username="helpdesk", is_superuser=True))

    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [user.pk]},
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()


def test_session_owing_a_code_gets_no_uploaded_files(client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from realestate.properties.models import UnitPhoto
    from tests.factories import UnitFactory

    settings.MEDIA_ROOT = tmp_path
    user, device = enrolled_user()
    photo = UnitPhoto.objects.create(
        unit=UnitFactory(agent=user), image=SimpleUploadedFile("front.gif", b"GIF89a", "image/gif")
    )
    password_login(client, "secure")

    owing = client.get(photo.image.url)
    assert owing.status_code == 302
    assert owing["Location"].startswith(VERIFY)

    client.post(VERIFY, {"token": code_for(device), "next": INDEX})
    assert client.get(photo.image.url).status_code == 200
