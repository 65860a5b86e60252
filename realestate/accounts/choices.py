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


class NotificationTopic(models.TextChoices):
    """What the product may notify a person of (``notifications.choices.KIND_SPECS`` puts each
    kind of message under one); each is on unless the person or the company turns it off."""

    INVOICES = "invoices", _("Invoices issued and falling due")
    PAYMENTS = "payments", _("Payments received")
    MAINTENANCE = "maintenance", _("Maintenance requests moving on")
    STATEMENTS = "statements", _("Owner statements ready")
    FOLLOW_UPS = "follow_ups", _("Leads' follow-ups due")
    INSTALMENTS = "instalments", _("Instalments falling due")
    LEASES = "leases", _("Leases ending and renewed")
    RESERVATIONS = "reservations", _("Reservations expiring")
    VIEWINGS = "viewings", _("Viewings coming up")
    DOCUMENTS = "documents", _("Identity documents expiring")


class DevicePlatform(models.TextChoices):
    IOS = "ios", _("iOS")
    ANDROID = "android", _("Android")
    WEB = "web", _("Web")
