"""Serializer fields that take exactly what the schema says."""

from rest_framework import serializers


class StrictCharField(serializers.CharField):
    """Text only. DRF's ``CharField`` turns a JSON number or boolean into text; the schema
    says ``string``, so ``{"otp": 123456}`` is refused (400) rather than read as ``"123456"``."""

    default_error_messages = {"invalid": "Must be a string."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)
