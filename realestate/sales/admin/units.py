"""The admin of on a unit's page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from realestate.properties.deals import DealKind, deal_kind_register
from realestate.sales.choices import (
    CONTRACT_FLOW,
    RESERVATION_FLOW,
)
from realestate.sales.models import Reservation, SaleContract

deal_kind_register(
    DealKind(
        Reservation,
        _("Reservation"),
        "client",
        "created_at",
        RESERVATION_FLOW,
        lambda r: f"{r.created_at:%d %b %Y} → {r.expires_at:%d %b %Y}",
    )
)
deal_kind_register(
    DealKind(
        SaleContract,
        _("Sale contract"),
        "buyer",
        "created_at",
        CONTRACT_FLOW,
        lambda c: (
            f"{_('signed')} {c.signing_date:%d %b %Y}"
            if c.signing_date
            else f"{_('drafted')} {c.created_at:%d %b %Y}"
        ),
    )
)
