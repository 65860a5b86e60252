from django.db import models
from django.utils.translation import gettext_lazy as _

from realestate.core.choices import DANGER, GOOD, INFO, NEUTRAL, WARNING, Flow, Palette


class LeaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")
    TERMINATED = "terminated", _("Terminated")


LEASE_FLOW = Flow(
    LeaseStatus,
    {
        LeaseStatus.DRAFT: {LeaseStatus.ACTIVE, LeaseStatus.TERMINATED},
        LeaseStatus.ACTIVE: {LeaseStatus.ENDED, LeaseStatus.TERMINATED},
    },
    colours={
        LeaseStatus.DRAFT: WARNING,
        LeaseStatus.ACTIVE: GOOD,
        LeaseStatus.ENDED: NEUTRAL,
        LeaseStatus.TERMINATED: DANGER,
    },
)
#: Leases that hold their unit: two of these may not overlap in time.
HOLDING_STATUSES = (LeaseStatus.DRAFT, LeaseStatus.ACTIVE)


class TermType(models.TextChoices):
    FIXED = "fixed", _("Fixed term")
    ROLLOVER = "rollover", _("Fixed, rolling over")
    PERIODIC = "periodic", _("Periodic")


class BillingFrequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


BILLING_MONTHS = {
    BillingFrequency.MONTHLY: 1,
    BillingFrequency.QUARTERLY: 3,
    BillingFrequency.YEARLY: 12,
}


class DepositMovement(models.TextChoices):
    RECEIVED = "received", _("Received")
    RETURNED = "returned", _("Returned")
    KEPT_RENT = "kept_rent", _("Kept for unpaid rent")
    KEPT_REPAIRS = "kept_repairs", _("Kept for repairs")


class MaintenanceStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CLOSED = "closed", _("Closed")
    DEFERRED = "deferred", _("Deferred")
    DECLINED = "declined", _("Declined")


MAINTENANCE_FLOW = Flow(
    MaintenanceStatus,
    {
        MaintenanceStatus.OPEN: {
            MaintenanceStatus.IN_PROGRESS,
            MaintenanceStatus.DEFERRED,
            MaintenanceStatus.DECLINED,
        },
        MaintenanceStatus.DEFERRED: {MaintenanceStatus.OPEN, MaintenanceStatus.DECLINED},
        MaintenanceStatus.IN_PROGRESS: {MaintenanceStatus.COMPLETED, MaintenanceStatus.DEFERRED},
        MaintenanceStatus.COMPLETED: {MaintenanceStatus.CLOSED, MaintenanceStatus.IN_PROGRESS},
    },
    colours={
        MaintenanceStatus.OPEN: INFO,
        MaintenanceStatus.IN_PROGRESS: WARNING,
        MaintenanceStatus.COMPLETED: GOOD,
        MaintenanceStatus.CLOSED: NEUTRAL,
        MaintenanceStatus.DEFERRED: NEUTRAL,
        MaintenanceStatus.DECLINED: DANGER,
    },
)


class MaintenanceCategory(models.TextChoices):
    PLUMBING = "plumbing", _("Plumbing")
    ELECTRICAL = "electrical", _("Electrical")
    AIR_CONDITIONING = "hvac", _("Air conditioning")
    APPLIANCES = "appliances", _("Appliances")
    STRUCTURE = "structure", _("Structure")
    PEST = "pest", _("Pest control")
    CLEANING = "cleaning", _("Cleaning")
    OTHER = "other", _("Other")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


PRIORITY = Palette(
    Priority,
    {
        Priority.LOW: NEUTRAL,
        Priority.NORMAL: INFO,
        Priority.HIGH: WARNING,
        Priority.URGENT: DANGER,
    },
)
