"""CRM services: the lead pipeline and viewings."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
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
