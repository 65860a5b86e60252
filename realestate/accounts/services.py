"""Staff account services: the steps administrators take on other people's accounts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _lazy

from realestate.accounts import twofactor
from realestate.accounts.models import User
from realestate.core.workflow import step


@step(_lazy("Reset two-factor authentication"), record="user", permission="accounts.change_user")
def two_factor_reset(*, user: User, by=None) -> User:
    """Remove a user's authenticator and backup codes (a lost phone): they enrol again at
    their next login if their role requires it. Logged on the user."""
    twofactor.remove_devices(user)
    return user
