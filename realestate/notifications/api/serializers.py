"""The app's notification centre and notification preferences."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from realestate.accounts.choices import NotificationTopic
from realestate.core.api.fields import StrictBooleanField
from realestate.notifications import live
from realestate.notifications.choices import Channel, MessageKind

ITEM_EXAMPLE = {
    "id": 4051,
    "kind": "payment_received",
    "title": "Payment received: RCT-2026-00412",
    "body": "Dear Aisha Rahman, we received AED 6,500.00 on 4 May 2026. Thank you.",
    "link": "",
    "record_type": "finance.payment",
    "record_id": 812,
    "created_at": "2026-05-04T09:30:12+04:00",
    "read_at": None,
}


@extend_schema_serializer(
    examples=[OpenApiExample("Payment received", value=ITEM_EXAMPLE, response_only=True)]
)
class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=MessageKind.choices, read_only=True)
    title = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True, help_text="The message's text (plain).")
    link = serializers.CharField(
        read_only=True, help_text="Where the message points, if anywhere; else empty."
    )
    record_type = serializers.CharField(
        read_only=True,
        help_text="The record it is about, `app.model` (e.g. `finance.payment`); empty if none.",
    )
    record_id = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The record's id; null if none."
    )
    created_at = serializers.DateTimeField(read_only=True)
    read_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When the caller read it; null while unread."
    )

    def to_representation(self, notification):
        from realestate.notifications.rendering import in_app_texts

        title, body = in_app_texts(notification)
        return {
            "id": notification.pk,
            "kind": notification.kind,
            "title": title,
            "body": body,
            "link": notification.link,
            "record_type": live.record_label(notification.content_type_id),
            "record_id": notification.object_id,
            "created_at": serializers.DateTimeField().to_representation(notification.created_at),
            "read_at": serializers.DateTimeField().to_representation(notification.read_at)
            if notification.read_at
            else None,
        }


class UnreadCountSerializer(serializers.Serializer):
    count = serializers.IntegerField(read_only=True, help_text="The caller's unread notifications.")


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(read_only=True, help_text="How many were unread until now.")
    count = serializers.IntegerField(read_only=True, help_text="Unread left (0).")


class EmptySerializer(serializers.Serializer):
    """No fields: send an empty JSON object, or no body."""


def _channels_serializer(name: str, *, write: bool):
    return type(
        name,
        (serializers.Serializer,),
        {
            "__doc__": "Each channel of the topic: on (true) or off (false).",
            **{
                channel: StrictBooleanField(required=False, help_text=str(label))
                if write
                else serializers.BooleanField(read_only=True, help_text=str(label))
                for channel, label in Channel.choices
            },
        },
    )


TopicChannels = _channels_serializer("TopicChannels", write=False)
TopicChannelsUpdate = _channels_serializer("TopicChannelsUpdate", write=True)

TopicsSerializer = type(
    "NotificationTopicsSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "Every topic the product may notify of, per channel.",
        **{
            topic: TopicChannels(read_only=True, help_text=str(label))
            for topic, label in NotificationTopic.choices
        },
    },
)
TopicsUpdateSerializer = type(
    "NotificationTopicsUpdateSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "Topics and channels to set; those not sent keep their setting.",
        **{
            topic: TopicChannelsUpdate(required=False, help_text=str(label))
            for topic, label in NotificationTopic.choices
        },
    },
)


@extend_schema_field(
    {
        "type": "object",
        "description": (
            "Topics with legal notices (an overdue reminder, a payment reversed, a lease "
            "ending): the channels those notices always take, whatever `topics` says "
            "(`topics` governs the topic's other messages)."
        ),
        "additionalProperties": {
            "type": "array",
            "items": {"type": "string", "enum": [Channel.IN_APP, Channel.EMAIL]},
        },
        "example": {"invoices": ["in_app", "email"]},
    }
)
class FixedField(serializers.Field):
    def to_representation(self, value):
        return value


PREFERENCES_EXAMPLE = {
    "topics": {
        topic: {"in_app": True, "email": True, "sms": False, "push": True}
        for topic in NotificationTopic.values
    },
    "fixed": {"invoices": ["in_app", "email"], "payments": ["in_app", "email"]},
}


@extend_schema_serializer(
    examples=[OpenApiExample("Preferences", value=PREFERENCES_EXAMPLE, response_only=True)]
)
class PreferencesSerializer(serializers.Serializer):
    topics = TopicsSerializer(read_only=True)
    fixed = FixedField(read_only=True)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "No SMS of invoices, no e-mail of maintenance",
            value={"topics": {"invoices": {"sms": False}, "maintenance": {"email": False}}},
            request_only=True,
        )
    ]
)
class PreferencesUpdateSerializer(serializers.Serializer):
    topics = TopicsUpdateSerializer(required=False)
