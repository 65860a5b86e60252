"""CRM services: the lead pipeline and viewings."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from realestate.clients.choices import (
    LEAD_STATUS_FLOW,
    VIEWING_STATUS_FLOW,
    LeadStatus,
    LostReason,
    ViewingStatus,
)
from realestate.clients.models import Client, Lead, Viewing
from realestate.core.assignments import is_active_agent
from realestate.core.workflow import StepRefused, step


@step(_lazy("Move lead"), record="lead")
@transaction.atomic
def lead_status_change(*, lead: Lead, status: str, by=None, lost_reason: str = "") -> Lead:
    """Move a lead along its pipeline; losing a lead needs a reason."""
    locked = Lead.objects.select_for_update().get(pk=lead.pk)
    LEAD_STATUS_FLOW.check(locked.status, status)
    if status == LeadStatus.LOST and lost_reason not in LostReason.values:
        raise ValidationError(
            {"lost_reason": _("Say why the lead was lost.")}, code="lost_reason_required"
        )
    LEAD_STATUS_FLOW.apply(
        locked, status, by, lost_reason=lost_reason if status == LeadStatus.LOST else ""
    )
    lead.status, lead.lost_reason = locked.status, locked.lost_reason
    return locked


@step(_lazy("Record viewing outcome"), record="viewing")
@transaction.atomic
def viewing_status_change(*, viewing: Viewing, status: str, by=None, feedback: str = "") -> Viewing:
    """Record how a viewing went. A viewing done moves a qualified lead on to 'viewing'."""
    locked = Viewing.objects.select_for_update().get(pk=viewing.pk)
    VIEWING_STATUS_FLOW.apply(locked, status, by, **({"feedback": feedback} if feedback else {}))
    if status == ViewingStatus.DONE and locked.lead_id:
        lead = locked.lead
        if lead.status == LeadStatus.QUALIFIED:
            lead_status_change(lead=lead, status=LeadStatus.VIEWING, by=by)
    viewing.status, viewing.feedback = locked.status, locked.feedback
    return locked


#: How far ahead of the server's clock a device's check-in time may be (clocks drift).
CLOCK_SKEW = timedelta(minutes=5)


def _scheduled(viewing: Viewing, doing: str) -> None:
    """Refuse ``doing`` on a viewing whose outcome is recorded (the flow ends there)."""
    if not VIEWING_STATUS_FLOW.allowed(viewing.status):
        raise ValidationError(
            _("The viewing is %(status)s: it cannot be %(doing)s.")
            % {"status": viewing.get_status_display().lower(), "doing": doing},
            code="not_scheduled",
        )


def _in_future(scheduled_at: datetime) -> None:
    if scheduled_at <= timezone.now():
        raise ValidationError(
            {"scheduled_at": _("A viewing is scheduled in the future.")}, code="past"
        )


@transaction.atomic
def viewing_create(
    *, client: Client, unit, scheduled_at: datetime, by=None, lead: Lead | None = None
) -> Viewing:
    """A viewing of ``unit`` by ``client`` in the future, assigned to ``by`` when they are an
    agent. The client, the unit and the lead (the client's own) must be records ``by`` may
    see."""
    _may(by, "clients.add_viewing")
    _in_scope(Client, client, by, "view")
    if by is not None:
        _in_scope(type(unit), unit, by, "view")
        if lead is not None:
            _in_scope(Lead, lead, by, "view")
    if lead is not None and lead.client_id != client.pk:
        raise ValidationError({"lead": _("The lead is another client's.")})
    _in_future(scheduled_at)
    viewing = Viewing(client=client, unit=unit, lead=lead, scheduled_at=scheduled_at)
    if by is not None and is_active_agent(by):
        viewing.agent = by
    viewing.full_clean()
    viewing.save()
    return viewing


@step(_lazy("Reschedule viewing"), record="viewing")
@transaction.atomic
def viewing_reschedule(*, viewing: Viewing, scheduled_at: datetime, by=None) -> Viewing:
    """Move a scheduled viewing to another time in the future."""
    locked = Viewing.objects.select_for_update().get(pk=viewing.pk)
    _scheduled(locked, _("rescheduled"))
    _in_future(scheduled_at)
    locked.scheduled_at = scheduled_at
    if by is not None:
        locked._history_user = by
    locked.save(update_fields=["scheduled_at", "updated_at"])
    return locked


@step(_lazy("Check in at viewing"), record="viewing")
@transaction.atomic
def viewing_check_in(
    *, viewing: Viewing, location: Point, at: datetime | None = None, by=None
) -> Viewing:
    """Record that the agent is on site for a scheduled viewing: where their device was
    (``location``, lon/lat), when (``at``, the device's time, now by default; not ahead of
    the server's clock beyond a drift) and how far that was from the unit. Once per
    viewing."""
    from realestate.properties.selectors import unit_distance_m

    locked = Viewing.objects.select_for_update().get(pk=viewing.pk)
    _scheduled(locked, _("checked in"))
    if locked.checked_in_at is not None:
        raise ValidationError(
            _("Already checked in at %(time)s.")
            % {"time": timezone.localtime(locked.checked_in_at).strftime("%Y-%m-%d %H:%M")},
            code="checked_in",
        )
    now = timezone.now()
    if at is not None and at > now + CLOCK_SKEW:
        raise ValidationError({"at": _("The check-in time is in the future.")}, code="future")
    location = Point(location.x, location.y, srid=4326)
    distance = unit_distance_m(locked.unit_id, location)
    locked.checked_in_at = at or now
    locked.check_in_location = location
    locked.check_in_distance_m = None if distance is None else round(distance)
    if by is not None:
        locked._history_user = by
    locked.save(
        update_fields=["checked_in_at", "check_in_location", "check_in_distance_m", "updated_at"]
    )
    return locked


#: What a client may change of their own record from the app.
CLIENT_CONTACT_FIELDS = ("email", "phone", "address")


@transaction.atomic
def client_contact_update(*, client: Client, **fields) -> Client:
    """A client's own contact details (``email``, ``phone``, ``address``), from the app: the
    same checks as the admin's (an email address or a phone number at least)."""
    unknown = set(fields) - set(CLIENT_CONTACT_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("Not a contact detail.")})
    for name, value in fields.items():
        setattr(client, name, value)
    client.full_clean(exclude=["portal_user"], validate_unique=False)
    client.save(update_fields=[*fields, "updated_at"])
    return client


def _may(by, permission: str) -> None:
    if by is not None and not by.has_perm(permission):
        raise PermissionDenied(_("Your role may not do this."))


def _in_scope(model, record, by, action: str) -> None:
    if by is not None and not model.objects.restrict(by, action).filter(pk=record.pk).exists():
        raise StepRefused(_("No such record, or not one you may see."), out_of_scope=True)


@transaction.atomic
def client_create(*, by=None, **fields) -> Client:
    """A new client, assigned to ``by`` when they are an agent (the grants follow)."""
    _may(by, "clients.add_client")
    client = Client(**fields)
    if by is not None and client.agent_id is None and is_active_agent(by):
        client.agent = by
    client.full_clean()
    client.save()
    return client


@transaction.atomic
def client_update(*, client: Client, by=None, **fields) -> Client:
    _in_scope(Client, client, by, "change")
    for name, value in fields.items():
        setattr(client, name, value)
    client.full_clean()
    client.save()
    return client


@transaction.atomic
def lead_create(*, client: Client, by=None, unit=None, **fields) -> Lead:
    """A client's new lead, assigned to ``by`` when they are an agent. The client (and the
    unit, when named) must be records ``by`` may see."""
    _may(by, "clients.add_lead")
    _in_scope(Client, client, by, "view")
    if unit is not None and by is not None:
        _in_scope(type(unit), unit, by, "view")
    lead = Lead(client=client, unit=unit, **fields)
    if by is not None and lead.agent_id is None and is_active_agent(by):
        lead.agent = by
    lead.full_clean()
    lead.save()
    return lead


@transaction.atomic
def lead_update(*, lead: Lead, by=None, **fields) -> Lead:
    """Change a lead's details (not its status: ``lead_status_change`` moves it)."""
    _in_scope(Lead, lead, by, "change")
    unit = fields.get("unit")
    if unit is not None and by is not None:
        _in_scope(type(unit), unit, by, "view")
    for name, value in fields.items():
        setattr(lead, name, value)
    lead.full_clean()
    lead.save()
    return lead


@transaction.atomic
def client_app_login_set(*, client: Client, user) -> Client:
    """Give a client their mobile-app login (an owner's or a tenant's; never staff)."""
    client.portal_user = user
    client.full_clean(validate_unique=False)
    client.save(update_fields=["portal_user", "updated_at"])
    return client
