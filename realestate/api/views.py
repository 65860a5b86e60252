"""``/api/v1/``: where the API's endpoints, its schema and its docs are."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from realestate.core.api.schema import RESPONSE_HEADERS, error_responses

#: Key → URL name, in the order the root lists them.
ENDPOINTS = {
    "token": "v1:token_obtain_pair",
    "token_refresh": "v1:token_refresh",
    "logout": "v1:logout",
    "units": "v1:unit-list",
    "documents": "v1:document-list",
    "me": "v1:me",
    "schema": "schema",
    "docs": "api-docs",
}


class ApiRootSerializer(serializers.Serializer):
    token = serializers.URLField(help_text="Obtain an access and a refresh token (POST).")
    token_refresh = serializers.URLField(help_text="Refresh the tokens (POST).")
    logout = serializers.URLField(help_text="Log out this device (POST).")
    units = serializers.URLField(help_text="The units the caller may see.")
    documents = serializers.URLField(help_text="The documents of records the caller may see.")
    me = serializers.URLField(help_text="Who the caller is, with their profile.")
    schema = serializers.URLField(help_text="This OpenAPI schema (YAML; `?format=json`).")
    docs = serializers.URLField(help_text="The schema in Swagger UI.")


@extend_schema(
    tags=["v1"],
    summary="The API's endpoints, schema and docs",
    parameters=RESPONSE_HEADERS,
    responses={200: ApiRootSerializer, **error_responses()},
    examples=[
        OpenApiExample(
            "Root",
            value={
                key: f"https://backoffice.example.com{url}"
                for key, url in {
                    "token": "/api/v1/auth/token/",
                    "token_refresh": "/api/v1/auth/token/refresh/",
                    "logout": "/api/v1/auth/logout/",
                    "units": "/api/v1/units/",
                    "documents": "/api/v1/documents/",
                    "me": "/api/v1/me/",
                    "schema": "/api/schema/",
                    "docs": "/api/docs/",
                }.items()
            },
        )
    ],
)
class ApiRootView(APIView):
    """Open to anybody, so that a client finds the token endpoint; a token sent must still be
    valid (401 otherwise)."""

    permission_classes = [AllowAny]

    def get(self, request):
        return Response({key: reverse(name, request=request) for key, name in ENDPOINTS.items()})
