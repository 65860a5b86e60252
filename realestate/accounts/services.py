"""Staff account services: the steps administrators take on other people's accounts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _lazy

from realestate.accounts import twofactor
from realestate.accounts.models import Device, User
from realestate.core.workflow import step


@step(_lazy("Reset two-factor authentication"), record="user", permission="accounts.change_user")
def two_factor_reset(*, user: User, by=None) -> User:
    """Remove a user's authenticator and backup codes (a lost phone): they enrol again at
    their next login if their role requires it. Logged on the user."""
    twofactor.remove_devices(user)
    return user


def user_profile_update(*, user: User, **fields) -> User:
    """A user's own contact details (``email``, ``phone``) and notification preferences
    (merged into what they had: a topic not sent keeps its setting)."""
    if "notification_preferences" in fields:
        fields["notification_preferences"] = {
            **(user.notification_preferences or {}),
            **fields["notification_preferences"],
        }
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(
        exclude=[f.name for f in User._meta.fields if f.name not in fields],
        validate_unique=False,
    )
    user.save(update_fields=list(fields))
    return user


def device_register(*, user: User, platform: str, push_token: str, name: str = "") -> Device:
    """Register (or refresh) a device's push token for ``user``. A token is one device: a
    phone that changes hands (or accounts) moves to its new user."""
    device = Device.objects.filter(push_token=push_token).first() or Device(push_token=push_token)
    device.user, device.platform, device.name = user, platform, name
    device.full_clean(validate_unique=False)
    device.save()
    return device


def device_forget(*, push_token: str) -> int:
    """Forget the device of ``push_token``: the push provider says it is gone (the app removed,
    the token rotated). Returns how many were forgotten (0 or 1)."""
    deleted, _ = Device.objects.filter(push_token=push_token).delete()
    return deleted
