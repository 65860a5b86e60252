from django.db import models
from django.utils.translation import gettext_lazy as _

from realestate.core.choices import DANGER, GOOD, INFO, NEUTRAL, WARNING, Palette


class ReceivableKind(models.TextChoices):
    INSTALMENT = "instalment", _("Instalment")
    RENT = "rent", _("Rent")
    DEPOSIT = "deposit", _("Deposit")
    FEE = "fee", _("Fee")
    LATE_FEE = "late_fee", _("Late fee")
    #: What a client owed in the former system, brought forward by the migration import.
    OPENING = "opening", _("Brought forward")


class ReceivableStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PARTIALLY_PAID = "partially_paid", _("Partially paid")
    PAID = "paid", _("Paid")
    OVERDUE = "overdue", _("Overdue")
    VOID = "void", _("Void")


#: A receivable's status follows from its amounts and due date (``receivable_status``).
RECEIVABLE_STATUS = Palette(
    ReceivableStatus,
    {
        ReceivableStatus.OPEN: INFO,
        ReceivableStatus.PARTIALLY_PAID: WARNING,
        ReceivableStatus.PAID: GOOD,
        ReceivableStatus.OVERDUE: DANGER,
        ReceivableStatus.VOID: NEUTRAL,
    },
)

#: Statuses of receivables that still expect money.
UNSETTLED = (ReceivableStatus.OPEN, ReceivableStatus.PARTIALLY_PAID, ReceivableStatus.OVERDUE)


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    TRANSFER = "transfer", _("Bank transfer")
    CARD = "card", _("Card")
    CHEQUE = "cheque", _("Cheque")
    ONLINE = "online", _("Online")


class PaymentStatus(models.TextChoices):
    POSTED = "posted", _("Posted")
    REVERSED = "reversed", _("Reversed")


PAYMENT_STATUS = Palette(
    PaymentStatus,
    {
        PaymentStatus.POSTED: GOOD,
        PaymentStatus.REVERSED: DANGER,
    },
)


class LateFeeMethod(models.TextChoices):
    FIXED = "fixed", _("Fixed amount")
    PERCENT = "percent", _("Percent of the overdue amount")


class LateFeeRecurrence(models.TextChoices):
    ONCE = "once", _("Once per overdue charge")
    PER_PERIOD = "per_period", _("Every month it stays overdue")


class ExpenseCategory(models.TextChoices):
    MAINTENANCE = "maintenance", _("Maintenance")
    SERVICE_CHARGE = "service_charge", _("Service charge")
    UTILITIES = "utilities", _("Utilities")
    INSURANCE = "insurance", _("Insurance")
    OTHER = "other", _("Other")


class OnlineEventOutcome(models.TextChoices):
    """What a payment provider's event did here (``services.online_payments``)."""

    POSTED = "posted", _("Payment posted")
    REFUSED = "refused", _("Refused")
    IGNORED = "ignored", _("Ignored")


ONLINE_EVENT_OUTCOME = Palette(
    OnlineEventOutcome,
    {
        OnlineEventOutcome.POSTED: GOOD,
        OnlineEventOutcome.REFUSED: DANGER,
        OnlineEventOutcome.IGNORED: NEUTRAL,
    },
)
