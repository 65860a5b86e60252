"""The API's JWT endpoint with the same throttling as the admin login."""

from rest_framework import status
from rest_framework.exceptions import APIException, AuthenticationFailed
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer
from rest_framework_simplejwt.views import TokenObtainPairView

from realestate.accounts import throttling


class LockedOut(APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"


class ThrottledTokenObtainPairSerializer(TokenObtainPairSerializer):
    def validate(self, attrs):
        username = attrs.get(self.username_field) or ""
        ip = throttling.client_ip(self.context.get("request"))
        minutes = throttling.locked_minutes(username, ip)
        if minutes:
            raise LockedOut(throttling.lockout_message(minutes))
        try:
            data = super().validate(attrs)
        except AuthenticationFailed:
            throttling.record_failure(username, ip)
            minutes = throttling.locked_minutes(username, ip)
            if minutes:
                raise LockedOut(throttling.lockout_message(minutes)) from None
            raise
        throttling.reset_user(username)
        return data


class ThrottledTokenObtainPairView(TokenObtainPairView):
    """Obtain an access/refresh pair; locked after repeated failures (HTTP 429)."""

    serializer_class = ThrottledTokenObtainPairSerializer
