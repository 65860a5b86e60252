"""The admin of on a unit's page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from realestate.leasing.choices import (
    LEASE_FLOW,
)
from realestate.leasing.models import (
    Lease,
)
from realestate.properties.choices import UnitPurpose
from realestate.properties.deals import DealKind, deal_kind_register


def _new_lease_link(user, unit):
    """The lease form, with this unit chosen and its listed rent filled in."""
    if unit.purpose == UnitPurpose.SALE or not user.has_perm("leasing.add_lease"):
        return None
    return f"{reverse('admin:leasing_lease_add')}?unit={unit.pk}", _("New lease")


deal_kind_register(
    DealKind(
        Lease,
        _("Lease"),
        "tenant",
        "start_date",
        LEASE_FLOW,
        lambda lease: (
            f"{lease.start_date:%d %b %Y} → "
            + (f"{lease.end_date:%d %b %Y}" if lease.end_date else str(_("open")))
        ),
        new_link=_new_lease_link,
    )
)
