"""The caller's own profile (``/me/``) and the field agents' clients and leads."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from realestate.accounts.choices import NotificationTopic
from realestate.accounts.models import notification_preferences_full
from realestate.clients.api.portal import KINDS, user_kinds
from realestate.core.api.fields import BlankableEmailField, StrictBooleanField, StrictCharField
from realestate.finance.services.online_payments import online_payment_enabled

NotificationPreferencesSerializer = type(
    "NotificationPreferencesSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "Each topic the app may notify of: on (true) or off (false).",
        **{
            topic: StrictBooleanField(required=False, help_text=str(label))
            for topic, label in NotificationTopic.choices
        },
    },
)

ME_EXAMPLE = {
    "id": 31,
    "username": "tenant1",
    "kinds": ["tenant", "owner"],
    "name": "Aisha Rahman",
    "email": "aisha@example.com",
    "phone": "+971 50 123 4567",
    "address": "Marina Heights A-1204, Dubai Marina",
    "client": 118,
    "notification_preferences": dict.fromkeys(NotificationTopic.values, True),
    "online_payment": True,
}


@extend_schema_serializer(examples=[OpenApiExample("Tenant", value=ME_EXAMPLE, response_only=True)])
class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=KINDS),
        read_only=True,
        help_text=(
            "What the caller is, possibly several: `tenant` (rents a unit), `owner` (owns "
            "one), `agent` (a field agent, also `staff`), `staff`. Empty for an app login "
            "whose client has no lease and no unit yet."
        ),
    )
    name = serializers.CharField(read_only=True, help_text="The client's name, or the user's.")
    email = serializers.CharField(read_only=True, help_text="An e-mail address, or empty.")
    phone = serializers.CharField(read_only=True)
    address = serializers.CharField(
        read_only=True, allow_null=True, help_text="The client's address; null for staff."
    )
    client = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The caller's client record; null for staff."
    )
    notification_preferences = NotificationPreferencesSerializer(read_only=True)
    online_payment = serializers.BooleanField(
        read_only=True,
        help_text=(
            "Whether the app offers to pay invoices by card "
            "(`POST /api/v1/tenant/invoices/{id}/pay/`): false while the server has no payment "
            "provider's keys, when paying answers 403 `online_payment_off`."
        ),
    )

    def to_representation(self, user):
        client = self.context.get("client")
        return {
            "id": user.pk,
            "username": user.username,
            "kinds": user_kinds(user, client),
            "name": client.name if client else (user.get_full_name() or user.username),
            "email": client.email if client else user.email,
            "phone": client.phone if client else user.phone,
            "address": client.address if client else None,
            "client": client.pk if client else None,
            "notification_preferences": notification_preferences_full(
                user.notification_preferences or {}
            ),
            "online_payment": online_payment_enabled(),
        }


class MeUpdateSerializer(serializers.Serializer):
    """What the caller may change of themselves; fields not sent keep their value."""

    email = BlankableEmailField(required=False)
    phone = StrictCharField(required=False, allow_blank=True, max_length=32)
    address = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=255,
        help_text="Owners and tenants only (staff have no address here: 400).",
    )
    notification_preferences = NotificationPreferencesSerializer(
        required=False, help_text="Topics sent are set; topics not sent keep their setting."
    )
