"""API tokens that end when they should.

- **Logout** (one device): its refresh token is blacklisted (simplejwt's blacklist app) and
  the access token it called with is denied by its ``jti`` until it expires. The denylist is
  a counter of ``core.counters`` in the database (whatever ``REDIS_URL`` says), read in the
  same query as the caller (``user_by_id(counter=...)``): every process refuses the token at
  once, and a request pays no round trip of its own for it (a Redis one was 3 % of a web
  worker's time). It holds one short-lived row per logout; the nightly job deletes the
  expired ones. A per-user "valid after" time would have logged out the user's other
  devices too.
- **Every token of a user** (a password change or reset, a deactivation): each token carries
  the user's ``token_generation`` (claim ``gen``), which ``User.save`` increases on those
  changes, so every token issued before no longer matches. A counter is exact where a time
  would not be: ``iat`` has one-second resolution, and a login right after a password change
  must work while a token from a moment before must not.
- **Checked once per process**: a token's signature and claims are checked on its first
  request to a process, which then keeps the checked token (``VALIDATED_MAX`` of them, by
  the token's exact bytes); on later requests only its expiry is checked again, then the
  user, the revocations and the denylist as always. The checks cost a request 0.2 ms of
  CPU (4.7 % of a web worker's time under ``make bench-api``), and an app sends the same
  token for all of its requests until it expires.
- **Refresh**: a refresh token is used once (``ROTATE_REFRESH_TOKENS`` with
  ``BLACKLIST_AFTER_ROTATION``); of two refreshes with the same token only one succeeds.
"""

from __future__ import annotations

import threading
import time

from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt import tokens
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.utils import aware_utcnow

from realestate.core.access import access_load, user_by_id, user_with_epoch
from realestate.core.counters import DatabaseCounters

GENERATION_CLAIM = "gen"
DENIED_PREFIX = "jwt-denied:"
#: Checked access tokens a process keeps (the oldest half goes when it is full).
VALIDATED_MAX = 10_000

_validated: dict[bytes, tokens.Token] = {}
_validated_lock = threading.Lock()


class RefreshToken(tokens.RefreshToken):
    """simplejwt's refresh token, stamped with the user's token generation (the access
    tokens made from it copy the claim)."""

    @classmethod
    def for_user(cls, user):
        token = super().for_user(user)
        token[GENERATION_CLAIM] = user.token_generation
        return token


def token_is_current(token, user) -> bool:
    """False once the user's password changed or the account was deactivated since."""
    return user.is_active and token.get(GENERATION_CLAIM, 0) == user.token_generation


def access_token_deny(token) -> None:
    """Refuse this access token from now until it expires (logout)."""
    seconds_left = token["exp"] - time.time()
    if seconds_left > 0:
        DatabaseCounters().hit(_denied_key(token), seconds_left + 1, sliding=False)


def access_token_denied(token) -> bool:
    return DatabaseCounters().peek(_denied_key(token)).value > 0


def _denied_key(token) -> str:
    return DENIED_PREFIX + token[api_settings.JTI_CLAIM]


class RevocableJWTAuthentication(JWTAuthentication):
    """``Authorization: Bearer <access>``, refused once the token was revoked.

    The user is read with the shared access epoch in one query, and given the permissions and
    grant summary remembered for them while nothing that decides them changed
    (``core.access``): a request's scope then costs no query of its own."""

    def get_validated_token(self, raw_token):
        """simplejwt's checks on a token's first request to this process; after that, the
        token it checked, while it has not expired (an expired one is checked afresh, and
        refused as simplejwt refuses it)."""
        token = _validated.get(raw_token)
        if token is not None:
            try:
                token.check_exp(current_time=aware_utcnow())
                return token
            except TokenError:
                with _validated_lock:
                    _validated.pop(raw_token, None)
        token = super().get_validated_token(raw_token)
        with _validated_lock:
            if len(_validated) >= VALIDATED_MAX:
                for stale in list(_validated)[: VALIDATED_MAX // 2]:
                    del _validated[stale]
            _validated[raw_token] = token
        return token

    def get_user(self, validated_token):
        try:
            user_id = validated_token[api_settings.USER_ID_CLAIM]
        except KeyError:
            raise InvalidToken(_("Token contained no recognizable user identification")) from None
        if self.user_model._meta.pk.name == api_settings.USER_ID_FIELD:
            user = user_by_id(self.user_model, user_id, counter=_denied_key(validated_token))
        else:
            lookup = {api_settings.USER_ID_FIELD: user_id}
            user = user_with_epoch(self.user_model.objects).filter(**lookup).first()
        if user is None:
            raise AuthenticationFailed(_("User not found"), code="user_not_found")
        if not user.is_active:
            raise AuthenticationFailed(_("User is inactive"), code="user_inactive")
        denied = getattr(user, "counted", None)  # read with the user, when it could be
        if denied is None:
            denied = access_token_denied(validated_token)
        if not token_is_current(validated_token, user) or denied:
            raise AuthenticationFailed(_("The token has been revoked."), code="token_revoked")
        access_load(user)
        return user
