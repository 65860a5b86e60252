"""Factories: notifications and their deliveries, message templates, company defaults and
push devices."""

import uuid

import factory

from realestate.accounts.models import Device
from realestate.notifications.choices import Channel, DeliveryStatus, MessageKind
from realestate.notifications.models import Delivery, KindSetting, MessageTemplate, Notification
from tests.factories.accounts import UserFactory

#: Every (kind, channel): templates made one after another never clash on their unique key.
_COMBOS = [(kind, channel) for kind in MessageKind.values for channel in Channel.values]


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    kind = MessageKind.LEASE_RENEWED
    user = factory.SubFactory(UserFactory)
    key = factory.Sequence(lambda n: f"test|{n}")
    batch = factory.LazyFunction(uuid.uuid4)
    context = factory.LazyAttribute(lambda o: {"name": "Ann", "company": "Acme"})


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery

    notification = factory.SubFactory(NotificationFactory)
    channel = Channel.EMAIL
    address = factory.Sequence(lambda n: f"person{n}@example.com")
    status = DeliveryStatus.SENT
    attempts = 1


class MessageTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MessageTemplate
        django_get_or_create = ("kind", "channel", "language")

    kind = factory.Sequence(lambda n: _COMBOS[n % len(_COMBOS)][0])
    channel = factory.Sequence(lambda n: _COMBOS[n % len(_COMBOS)][1])
    language = "en"
    subject = "Hello {{ name }}"
    body = "Dear {{ name }},\n\n{{ company }}"


class KindSettingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KindSetting
        django_get_or_create = ("kind",)

    kind = factory.Sequence(lambda n: MessageKind.values[n % len(MessageKind.values)])


class DeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Device

    user = factory.SubFactory(UserFactory)
    platform = "android"
    push_token = factory.Sequence(lambda n: f"device-token-{n:04d}")
