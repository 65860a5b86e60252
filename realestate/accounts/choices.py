from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenRefusal(models.TextChoices):
    """Why the API's token endpoint refused a login: the app acts on the code (asks for the
    authenticator's code, sends the user to enrol in the admin first)."""

    NO_ACTIVE_ACCOUNT = (
        "no_active_account",
        _("Wrong username or password (or the account is inactive)."),
    )
    OTP_REQUIRED = "otp_required", _("Two-factor authentication is on: send the code as otp.")
    OTP_INVALID = "otp_invalid", _("The otp code is wrong or was used already.")
    OTP_ENROLMENT_REQUIRED = (
        "otp_enrolment_required",
        _("The user's role requires 2FA and no device is enrolled."),
    )
