"""Serializer fields that take exactly what the schema says."""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import EmailValidator, RegexValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

#: Text without NUL characters (which DRF refuses): stated so in the schema.
NO_NUL = RegexValidator(r"^[^\x00]*$", "Null characters are not allowed.")
#: ...with something in it besides spaces.
NOT_BLANK = RegexValidator(r"^[^\x00]*[^\s\x00][^\x00]*$", "Write something besides spaces.")


class StrictCharField(serializers.CharField):
    """Text only. DRF's ``CharField`` turns a JSON number or boolean into text; the schema
    says ``string``, so ``{"otp": 123456}`` is refused (400) rather than read as ``"123456"``."""

    default_error_messages = {"invalid": "Must be a string."}

    def __init__(self, **kwargs):
        if not kwargs.get("validators"):
            kwargs["validators"] = [NO_NUL]
        super().__init__(**kwargs)

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


EMAIL = EmailValidator("Enter a valid email address.")
MONEY_PATTERN = r"^[0-9]{1,12}(\.[0-9]{1,2})?$"


@extend_schema_field(
    {"type": "string", "format": "decimal", "pattern": MONEY_PATTERN, "example": "2500000.00"}
)
class StrictMoneyField(serializers.DecimalField):
    """An amount of money sent as text, ``"2500000.00"``: not negative, 12 digits before
    the point and 2 after at most (a JSON number is refused: floats lose cents)."""

    default_error_messages = {
        "invalid": 'An amount as text, e.g. "2500000.00": digits, and 2 decimals at most.'
    }

    def __init__(self, **kwargs):
        super().__init__(max_digits=14, decimal_places=2, min_value=0, **kwargs)

    def run_validation(self, data=serializers.empty):
        if data == "":  # DRF would read it as null
            self.fail("invalid")
        return super().run_validation(data)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not re.fullmatch(MONEY_PATTERN, data):
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field(
    {
        "type": "string",
        "maxLength": 254,
        "anyOf": [{"format": "email"}, {"maxLength": 0}],
        "example": "aisha@example.com",
    }
)
class BlankableEmailField(StrictCharField):
    """An e-mail address, or empty (no address): the schema says both."""

    def __init__(self, **kwargs):
        super().__init__(max_length=254, allow_blank=True, **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        # Checked here rather than as a validator, which the schema would state as a plain
        # `email` format (refusing the empty string the field takes).
        if value:
            try:
                EMAIL(value)
            except DjangoValidationError as error:
                raise serializers.ValidationError(error.messages) from None
        return value
