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


class StrictBooleanField(serializers.BooleanField):
    """``true`` or ``false`` only (DRF also takes ``"yes"``, ``1``, ``"on"``...); in a form
    body (multipart), where every value is text, ``"true"`` and ``"false"``."""

    default_error_messages = {"invalid": "Must be true or false."}

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        if data in ("true", "false") and hasattr(self.root.initial_data, "getlist"):
            return data == "true"
        self.fail("invalid")
