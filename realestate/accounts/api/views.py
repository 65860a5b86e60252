"""``/api/v1/auth/``: tokens, refresh and logout for the mobile app."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from realestate.accounts.api import authentication as tokens
from realestate.accounts.api.serializers import (
    REFUSAL_CODES,
    LogoutSerializer,
    TokenObtainSerializer,
    TokenRefreshSerializer,
    TokenRefusalSerializer,
)
from realestate.core.api.schema import (
    RESPONSE_HEADERS,
    AuthErrorSerializer,
    error_responses,
    field_errors,
)
from realestate.core.api.throttling import TokenRateThrottle


class RevocableJWTScheme(SimpleJWTScheme):
    """The schema's bearer scheme for the API's token authentication (a simplejwt one)."""

    target_class = tokens.RevocableJWTAuthentication


#: Shortened tokens for the examples.
ACCESS = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIn0.c2lnbmF0dXJl"
REFRESH = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoicmVmcmVzaCJ9.c2lnbmF0dXJl"
TOKEN_PAIR = OpenApiExample(
    "Tokens", value={"refresh": REFRESH, "access": ACCESS}, response_only=True
)
BAD_TOKEN = OpenApiResponse(
    AuthErrorSerializer,
    description="The refresh token is malformed, expired, used already or revoked.",
    examples=[
        OpenApiExample(
            "Used already", value={"detail": "Token is blacklisted", "code": "token_not_valid"}
        )
    ],
)


@extend_schema(
    tags=["auth"],
    summary="Obtain an access and a refresh token",
    description=(
        "Log in with `username` and `password`. A user with two-factor authentication also "
        "sends `otp`: the code of their authenticator app or one of their backup codes. A "
        "refused request is 401 with a `code` the app acts on:\n\n"
        + "\n".join(f"- `{code}`: {text}" for code, text in REFUSAL_CODES.items())
        + "\n\nWrong passwords and wrong codes count towards the login lockout (429)."
    ),
    auth=[],
    parameters=RESPONSE_HEADERS,
    examples=[
        OpenApiExample(
            "Password", value={"username": "agent1", "password": "agent1"}, request_only=True
        ),
        OpenApiExample(
            "Password and 2FA code",
            value={"username": "agent1", "password": "agent1", "otp": "123456"},
            request_only=True,
        ),
        TOKEN_PAIR,
    ],
    responses={
        200: TokenObtainSerializer,
        **error_responses(
            bad_request=field_errors(
                "TokenObtainErrors", ["username", "password", "otp"], body=True
            ),
            unauthenticated=OpenApiResponse(
                TokenRefusalSerializer,
                description="Refused: the `code` says why.",
                examples=[
                    OpenApiExample(code, value={"detail": str(text), "code": code})
                    for code, text in REFUSAL_CODES.items()
                ],
            ),
            body=True,
        ),
    },
)
class TokenObtainView(TokenObtainPairView):
    serializer_class = TokenObtainSerializer
    throttle_classes = [*api_settings.DEFAULT_THROTTLE_CLASSES, TokenRateThrottle]


@extend_schema(
    tags=["auth"],
    summary="Refresh: a new access token and a new refresh token",
    description="The refresh token sent is used up: refresh again with the new one.",
    auth=[],
    parameters=RESPONSE_HEADERS,
    examples=[OpenApiExample("Refresh", value={"refresh": REFRESH}, request_only=True), TOKEN_PAIR],
    responses={
        200: TokenRefreshSerializer,
        **error_responses(
            bad_request=field_errors("TokenRefreshErrors", ["refresh"], body=True),
            unauthenticated=BAD_TOKEN,
            body=True,
        ),
    },
)
class TokenRefreshRotateView(TokenRefreshView):
    serializer_class = TokenRefreshSerializer


@extend_schema(
    tags=["auth"],
    summary="Log out this device",
    description=(
        "Revokes the refresh token sent and the access token of the `Authorization` header: "
        "both stop working at once."
    ),
    parameters=RESPONSE_HEADERS,
    examples=[OpenApiExample("Logout", value={"refresh": REFRESH}, request_only=True)],
    responses={
        204: OpenApiResponse(description="Both tokens are revoked."),
        **error_responses(
            bad_request=field_errors(
                "LogoutErrors",
                ["refresh"],
                body=True,
                description=(
                    "The refresh token is missing, malformed, expired, revoked already or "
                    "another user's (`refresh`). Nothing was revoked."
                ),
            ),
            body=True,
        ),
    },
)
class LogoutView(GenericAPIView):
    serializer_class = LogoutSerializer
    authentication_classes = [tokens.RevocableJWTAuthentication]
    permission_classes = [IsAuthenticated]

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.validated_data["refresh"].blacklist()
        tokens.access_token_deny(request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)
