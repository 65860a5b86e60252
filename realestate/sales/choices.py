from django.db import models
from django.utils.translation import gettext_lazy as _

from realestate.core.choices import DANGER, GOOD, INFO, NEUTRAL, WARNING, Flow


class ReservationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CONVERTED = "converted", _("Converted")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


RESERVATION_FLOW = Flow(
    ReservationStatus,
    {
        ReservationStatus.ACTIVE: {
            ReservationStatus.CONVERTED,
            ReservationStatus.CANCELLED,
            ReservationStatus.EXPIRED,
        },
    },
    colours={
        ReservationStatus.ACTIVE: INFO,
        ReservationStatus.CONVERTED: GOOD,
        ReservationStatus.CANCELLED: DANGER,
        ReservationStatus.EXPIRED: NEUTRAL,
    },
)


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMI_ANNUAL = "semi_annual", _("Every six months")
    YEARLY = "yearly", _("Yearly")


#: Months between two instalments or billing periods.
FREQUENCY_MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.SEMI_ANNUAL: 6,
    Frequency.YEARLY: 12,
}


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


CONTRACT_FLOW = Flow(
    ContractStatus,
    {
        ContractStatus.DRAFT: {ContractStatus.SIGNED, ContractStatus.CANCELLED},
        ContractStatus.SIGNED: {ContractStatus.COMPLETED, ContractStatus.CANCELLED},
    },
    colours={
        ContractStatus.DRAFT: WARNING,
        ContractStatus.SIGNED: INFO,
        ContractStatus.COMPLETED: GOOD,
        ContractStatus.CANCELLED: DANGER,
    },
)


class CommissionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


COMMISSION_FLOW = Flow(
    CommissionStatus,
    {
        CommissionStatus.PENDING: {CommissionStatus.APPROVED, CommissionStatus.CANCELLED},
        CommissionStatus.APPROVED: {CommissionStatus.PAID, CommissionStatus.CANCELLED},
    },
    colours={
        CommissionStatus.PENDING: WARNING,
        CommissionStatus.APPROVED: INFO,
        CommissionStatus.PAID: GOOD,
        CommissionStatus.CANCELLED: DANGER,
    },
)
