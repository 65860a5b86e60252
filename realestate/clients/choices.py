from django.db import models
from django.utils.translation import gettext_lazy as _

from realestate.core.choices import DANGER, GOOD, INFO, NEUTRAL, WARNING, Flow


class ClientKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    COMPANY = "company", _("Company")


class IdentityDocument(models.TextChoices):
    NATIONAL_ID = "national_id", _("National ID")
    PASSPORT = "passport", _("Passport")
    TRADE_LICENCE = "trade_licence", _("Trade licence")


class ClientSource(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    REFERRAL = "referral", _("Referral")
    WEBSITE = "website", _("Website")
    PORTAL = "portal", _("Property portal")
    SOCIAL = "social", _("Social media")
    EVENT = "event", _("Event / exhibition")
    BROKER = "broker", _("Broker")
    OTHER = "other", _("Other")


class LeadStatus(models.TextChoices):
    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    QUALIFIED = "qualified", _("Qualified")
    VIEWING = "viewing", _("Viewing")
    NEGOTIATION = "negotiation", _("Negotiation")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


_OPEN_LEAD = [
    LeadStatus.NEW,
    LeadStatus.CONTACTED,
    LeadStatus.QUALIFIED,
    LeadStatus.VIEWING,
    LeadStatus.NEGOTIATION,
]

LEAD_STATUS_FLOW = Flow(
    LeadStatus,
    {
        LeadStatus.NEW: {LeadStatus.CONTACTED, LeadStatus.LOST},
        LeadStatus.CONTACTED: {LeadStatus.QUALIFIED, LeadStatus.LOST},
        LeadStatus.QUALIFIED: {LeadStatus.VIEWING, LeadStatus.NEGOTIATION, LeadStatus.LOST},
        LeadStatus.VIEWING: {LeadStatus.NEGOTIATION, LeadStatus.QUALIFIED, LeadStatus.LOST},
        LeadStatus.NEGOTIATION: {LeadStatus.WON, LeadStatus.VIEWING, LeadStatus.LOST},
        # A lost lead can be reopened when the client comes back.
        LeadStatus.LOST: {LeadStatus.CONTACTED},
        LeadStatus.WON: set(),
    },
    colours={
        LeadStatus.NEW: INFO,
        LeadStatus.CONTACTED: INFO,
        LeadStatus.QUALIFIED: WARNING,
        LeadStatus.VIEWING: WARNING,
        LeadStatus.NEGOTIATION: WARNING,
        LeadStatus.WON: GOOD,
        LeadStatus.LOST: DANGER,
    },
    side={LeadStatus.LOST},
)
OPEN_LEAD_STATUSES = frozenset(_OPEN_LEAD)


class LostReason(models.TextChoices):
    PRICE = "price", _("Price too high")
    LOCATION = "location", _("Location")
    BOUGHT_ELSEWHERE = "bought_elsewhere", _("Bought or rented elsewhere")
    FINANCING = "financing", _("Financing not approved")
    NO_RESPONSE = "no_response", _("No response")
    NOT_INTERESTED = "not_interested", _("No longer interested")
    OTHER = "other", _("Other")


class ViewingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("No-show")


VIEWING_STATUS_FLOW = Flow(
    ViewingStatus,
    {
        ViewingStatus.SCHEDULED: {
            ViewingStatus.DONE,
            ViewingStatus.CANCELLED,
            ViewingStatus.NO_SHOW,
        },
    },
    colours={
        ViewingStatus.SCHEDULED: INFO,
        ViewingStatus.DONE: GOOD,
        ViewingStatus.CANCELLED: NEUTRAL,
        ViewingStatus.NO_SHOW: DANGER,
    },
)
