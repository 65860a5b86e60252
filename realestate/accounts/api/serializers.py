"""The mobile app's login: tokens for a password (and a 2FA code), refresh, logout."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import update_last_login
from django.utils.translation import gettext_lazy as _
from django_otp import match_token
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, AuthenticationFailed
from rest_framework_simplejwt import serializers as jwt_serializers
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings

from realestate.accounts import throttling, twofactor
from realestate.accounts.api.authentication import RefreshToken, token_is_current
from realestate.accounts.choices import TokenRefusal
from realestate.core.api.fields import StrictCharField

#: The ``code`` of a refused token request (HTTP 401), for the app to act on.
REFUSAL_CODES = dict(TokenRefusal.choices)
REFUSAL_CHOICES = list(REFUSAL_CODES.items())


class LockedOut(APIException):
    """Too many failed logins for the username or the address (HTTP 429, Retry-After)."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self, minutes: int):
        super().__init__(throttling.lockout_message(minutes))
        self.wait = minutes * 60


class TokenRefused(AuthenticationFailed):
    """HTTP 401 with ``{"detail": <message>, "code": <one of REFUSAL_CODES>}``."""

    def __init__(self, message, code: str):
        super().__init__({"detail": message, "code": code})


class TokenObtainSerializer(jwt_serializers.TokenObtainSerializer):
    """Username and password, plus ``otp`` for users with two-factor authentication."""

    token_class = RefreshToken
    access = serializers.CharField(read_only=True)
    refresh = serializers.CharField(read_only=True)

    default_error_messages = {
        "no_active_account": _("No active account found with the given credentials"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.username_field] = StrictCharField(write_only=True)
        self.fields["password"] = StrictCharField(write_only=True, style={"input_type": "password"})
        self.fields["otp"] = StrictCharField(
            write_only=True,
            required=False,
            allow_blank=True,
            max_length=16,
            help_text=_(
                "Required when the user has two-factor authentication: the 6-digit code of "
                "their authenticator app, or one of their backup codes (each works once)."
            ),
        )

    def validate(self, attrs):
        username = attrs.get(self.username_field) or ""
        ip = throttling.client_ip(self.context.get("request"))
        minutes = throttling.locked_minutes(username, ip)
        if minutes:
            raise LockedOut(minutes)
        try:
            super().validate(attrs)
        except AuthenticationFailed:
            self._failure(username, ip)
            raise TokenRefused(
                self.error_messages["no_active_account"], "no_active_account"
            ) from None
        self._second_factor(attrs.get("otp", "").replace(" ", ""), username, ip)
        throttling.reset_user(username)
        refresh = self.get_token(self.user)
        if api_settings.UPDATE_LAST_LOGIN:
            update_last_login(None, self.user)
        return {"refresh": str(refresh), "access": str(refresh.access_token)}

    @staticmethod
    def _failure(username: str, ip: str) -> None:
        minutes = throttling.record_failure(username, ip)
        if minutes:
            raise LockedOut(minutes)

    def _second_factor(self, otp: str, username: str, ip: str) -> None:
        """The same rule as the admin login: a user with a device owes a code; a user whose
        role requires 2FA and who has no device must enrol in the admin first."""
        user = self.user
        if twofactor.has_any_device(user):
            if not otp:
                raise TokenRefused(
                    _(
                        "Two-factor authentication is on for this account: send the code from "
                        "your authenticator app, or a backup code, as otp."
                    ),
                    "otp_required",
                )
            if match_token(user, otp) is None:  # consumes a backup code that matches
                self._failure(username, ip)
                raise TokenRefused(_("The code is not valid. Try again."), "otp_invalid")
        elif twofactor.two_factor_required(user):
            raise TokenRefused(
                _(
                    "Your role requires two-factor authentication. Log in to the admin and enrol "
                    "an authenticator app (account menu → Two-factor authentication) first."
                ),
                "otp_enrolment_required",
            )


class TokenRefreshSerializer(jwt_serializers.TokenRefreshSerializer):
    """A new access token and a new refresh token; the refresh token sent is used up."""

    token_class = RefreshToken
    refresh = StrictCharField()

    def validate(self, attrs):
        refresh = self.token_class(attrs["refresh"])  # bad, expired or blacklisted: 401
        user_id = refresh.payload.get(api_settings.USER_ID_CLAIM)
        user = (
            get_user_model()
            ._default_manager.filter(**{api_settings.USER_ID_FIELD: user_id})
            .first()
        )
        if user is None or not token_is_current(refresh, user):
            raise InvalidToken(_("The token has been revoked."))
        # Blacklisting is the atomic step: of two refreshes with one token, one gets here
        # first; the other finds the token already blacklisted.
        _entry, created = refresh.blacklist()
        if not created:
            raise InvalidToken(_("Token is blacklisted"))
        access = refresh.access_token
        refresh.set_jti()
        refresh.set_exp()
        refresh.set_iat()
        refresh.outstand()
        return {"access": str(access), "refresh": str(refresh)}


class LogoutSerializer(serializers.Serializer):
    refresh = StrictCharField(
        write_only=True, help_text=_("The refresh token of this device, to revoke.")
    )

    def validate_refresh(self, value):
        try:
            token = RefreshToken(value)
        except TokenError:
            raise serializers.ValidationError(
                _("Not a valid refresh token: it is malformed, expired or revoked already.")
            ) from None
        owner = token.payload.get(api_settings.USER_ID_CLAIM)
        if str(owner) != str(self.context["request"].user.pk):
            raise serializers.ValidationError(_("This refresh token is not yours."))
        return token


class TokenRefusalSerializer(serializers.Serializer):
    """The body of a refused token request (401)."""

    detail = serializers.CharField()
    code = serializers.ChoiceField(choices=REFUSAL_CHOICES)
