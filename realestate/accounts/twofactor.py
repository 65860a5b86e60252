"""Two-factor authentication for staff (django-otp TOTP devices plus static backup codes).

Login is two steps: the admin's password form, then, for a user with a confirmed
authenticator, a code (``verify``). A user whose role requires 2FA and who has no
authenticator is sent to ``enrol`` before any other admin page. ``TwoFactorMiddleware``
enforces both; it runs after django-otp's ``OTPMiddleware``.
"""

from __future__ import annotations

import base64

from django.contrib.auth.models import Group
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODES = 10
TOTP_NAME = "Authenticator app"
BACKUP_NAME = "Backup codes"


def two_factor_required(user) -> bool:
    """True when one of the user's roles is marked as requiring 2FA."""
    if not user.is_authenticated:
        return False
    return Group.objects.filter(user=user, policy__require_two_factor=True).exists()


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def has_any_device(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def pending_totp(user) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled (one per user, reused until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


def new_backup_codes(user) -> list[str]:
    """Replace the user's backup codes with ``BACKUP_CODES`` fresh single-use codes."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def remove_devices(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


class TwoFactorMiddleware:
    """Keeps a staff session that still owes a second factor on the verify/enrol pages.

    Session API calls get 403; anything else, uploaded files under ``/media/`` included, is
    sent to the verify (or enrol) page. API tokens never owe a code: the token endpoint asks
    for it before it issues them.
    """

    EXEMPT_NAMES = (
        "two_factor_verify",
        "two_factor_enrol",
        "admin:logout",
        "admin:login",
        "admin:jsi18n",
        "healthz",
    )

    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt = None

    def exempt_paths(self):
        if self._exempt is None:
            self._exempt = {reverse(name) for name in self.EXEMPT_NAMES}
        return self._exempt

    def __call__(self, request):
        target = self.target(request)
        if target is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": "Two-factor authentication required."}, status=403)
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")

    def target(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_staff:
            return None
        path = request.path
        if path in self.exempt_paths() or path.startswith("/static/"):
            return None
        if user.is_verified():
            return None
        if has_any_device(user):
            return "two_factor_verify"
        if two_factor_required(user):
            return "two_factor_enrol"
        return None
