"""CRM services: the lead pipeline and viewings."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from realestate.clients.choices import (
    LEAD_STATUS_FLOW,
    VIEWING_STATUS_FLOW,
    LeadStatus,
    LostReason,
    ViewingStatus,
)
from realestate.clients.models import Lead, Viewing
from realestate.core.signals import status_changed


@transaction.atomic
def lead_status_change(*, lead: Lead, status: str, by=None, lost_reason: str = "") -> Lead:
    """Move a lead along its pipeline; losing a lead needs a reason."""
    locked = Lead.objects.select_for_update().get(pk=lead.pk)
    LEAD_STATUS_FLOW.check(locked.status, status)
    if status == LeadStatus.LOST:
        if lost_reason not in LostReason.values:
            raise ValidationError(
                {"lost_reason": _("Say why the lead was lost.")}, code="lost_reason_required"
            )
        locked.lost_reason = lost_reason
    else:
        locked.lost_reason = ""
    source, locked.status = locked.status, status
    if by is not None:
        locked._history_user = by
    locked.save(update_fields=["status", "lost_reason", "updated_at"])
    status_changed.send(sender=Lead, instance=locked, source=source, target=status, by=by)
    lead.status, lead.lost_reason = locked.status, locked.lost_reason
    return locked


@transaction.atomic
def viewing_status_change(*, viewing: Viewing, status: str, by=None, feedback: str = "") -> Viewing:
    """Record how a viewing went. A viewing done moves a qualified lead on to 'viewing'."""
    locked = Viewing.objects.select_for_update().get(pk=viewing.pk)
    VIEWING_STATUS_FLOW.check(locked.status, status)
    source, locked.status = locked.status, status
    if feedback:
        locked.feedback = feedback
    locked.save(update_fields=["status", "feedback", "updated_at"])
    status_changed.send(sender=Viewing, instance=locked, source=source, target=status, by=by)
    if status == ViewingStatus.DONE and locked.lead_id:
        lead = locked.lead
        if lead.status == LeadStatus.QUALIFIED:
            lead_status_change(lead=lead, status=LeadStatus.VIEWING, by=by)
    viewing.status, viewing.feedback = locked.status, locked.feedback
    return locked
