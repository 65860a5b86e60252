from django.db import models
from django.utils.translation import gettext_lazy as _

from realestate.core.choices import DANGER, GOOD, INFO, NEUTRAL, WARNING, Flow, Palette


class ProjectStatus(models.TextChoices):
    PLANNING = "planning", _("Planning")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    COMPLETED = "completed", _("Completed")


PROJECT_STATUS = Palette(
    ProjectStatus,
    {
        ProjectStatus.PLANNING: NEUTRAL,
        ProjectStatus.UNDER_CONSTRUCTION: WARNING,
        ProjectStatus.COMPLETED: GOOD,
    },
)


class UnitType(models.TextChoices):
    APARTMENT = "apartment", _("Apartment")
    VILLA = "villa", _("Villa")
    TOWNHOUSE = "townhouse", _("Townhouse")
    OFFICE = "office", _("Office")
    SHOP = "shop", _("Shop")
    WAREHOUSE = "warehouse", _("Warehouse")
    LAND = "land", _("Land")
    PARKING = "parking", _("Parking")


class UnitPurpose(models.TextChoices):
    SALE = "sale", _("Sale")
    RENT = "rent", _("Rent")
    BOTH = "both", _("Sale or rent")


class UnitStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    RESERVED = "reserved", _("Reserved")
    SOLD = "sold", _("Sold")
    LEASED = "leased", _("Leased")
    OFF_MARKET = "off_market", _("Off market")


UNIT_STATUS_FLOW = Flow(
    UnitStatus,
    {
        UnitStatus.AVAILABLE: {UnitStatus.RESERVED, UnitStatus.LEASED, UnitStatus.OFF_MARKET},
        # A reservation is converted (sold) or released (cancelled, expired).
        UnitStatus.RESERVED: {UnitStatus.SOLD, UnitStatus.AVAILABLE},
        # A cancelled sale contract gives the unit back.
        UnitStatus.SOLD: {UnitStatus.AVAILABLE},
        # An ended or terminated lease gives the unit back.
        UnitStatus.LEASED: {UnitStatus.AVAILABLE},
        UnitStatus.OFF_MARKET: {UnitStatus.AVAILABLE},
    },
    colours={
        UnitStatus.AVAILABLE: GOOD,
        UnitStatus.RESERVED: WARNING,
        UnitStatus.SOLD: INFO,
        UnitStatus.LEASED: INFO,
        UnitStatus.OFF_MARKET: DANGER,
    },
)

#: Statuses that only the sales and leasing workflows may set; staff cannot pick them by hand.
WORKFLOW_STATUSES = frozenset({UnitStatus.RESERVED, UnitStatus.SOLD, UnitStatus.LEASED})
