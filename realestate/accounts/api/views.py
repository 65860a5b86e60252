"""``/api/v1/auth/``: tokens, refresh and logout for the mobile app."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.types import OpenApiTypes
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
    DetailSerializer,
    LogoutSerializer,
    TokenErrorSerializer,
    TokenObtainSerializer,
    TokenRefreshSerializer,
    TokenRefusalSerializer,
)
from realestate.api.throttling import TokenRateThrottle


class RevocableJWTScheme(SimpleJWTScheme):
    """The schema's bearer scheme for the API's token authentication (a simplejwt one)."""

    target_class = tokens.RevocableJWTAuthentication


BAD_REQUEST = OpenApiResponse(
    OpenApiTypes.OBJECT, description="A field is missing or malformed: `{field: [messages]}`."
)
THROTTLED = OpenApiResponse(
    DetailSerializer, description="Too many requests: wait for the seconds in `Retry-After`."
)
BAD_TOKEN = OpenApiResponse(
    TokenErrorSerializer, description="The token is malformed, expired or revoked."
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
    responses={
        200: TokenObtainSerializer,
        400: BAD_REQUEST,
        401: OpenApiResponse(
            TokenRefusalSerializer,
            examples=[
                OpenApiExample(code, value={"detail": str(text), "code": code})
                for code, text in REFUSAL_CODES.items()
            ],
        ),
        429: THROTTLED,
    },
)
class TokenObtainView(TokenObtainPairView):
    serializer_class = TokenObtainSerializer
    throttle_classes = [*api_settings.DEFAULT_THROTTLE_CLASSES, TokenRateThrottle]


@extend_schema(
    tags=["auth"],
    summary="Refresh: a new access token and a new refresh token",
    description="The refresh token sent is used up: refresh again with the new one.",
    responses={200: TokenRefreshSerializer, 400: BAD_REQUEST, 401: BAD_TOKEN, 429: THROTTLED},
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
    responses={
        204: OpenApiResponse(description="Both tokens are revoked."),
        400: OpenApiResponse(
            OpenApiTypes.OBJECT,
            description=(
                '`{"refresh": [message]}`: the refresh token is missing, malformed, expired, '
                "revoked already or another user's. Nothing was revoked."
            ),
        ),
        401: BAD_TOKEN,
        429: THROTTLED,
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
