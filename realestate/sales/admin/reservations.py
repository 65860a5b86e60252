"""The admin of reservations."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import (
    AutocompleteSelectFilter,
    ChoicesDropdownFilter,
    RangeDateTimeFilter,
)
from unfold.decorators import display

from realestate.core.admin import (
    ReasonForm,
    ServiceForm,
    StepAction,
    ViewOnlyHistoryAdmin,
    WorkflowAdmin,
    confirm,
    link,
    money_column,
    status_badge,
    status_label,
)
from realestate.documents.actions import GenerateDocumentsMixin
from realestate.sales import selectors, services
from realestate.sales.choices import (
    RESERVATION_FLOW,
    ReservationStatus,
)
from realestate.sales.models import Reservation


class ReservationForm(ServiceForm):
    """Adding reserves the unit through ``reservation_create``; afterwards only the agent
    and the notes are edited here, everything else moves by the detail actions."""

    class Meta:
        model = Reservation
        fields = ["unit", "client", "agent", "deposit", "expires_at", "notes"]

    def save_through_service(self, by):
        if self.instance.pk:
            return None  # agent and notes: a plain save
        data = self.cleaned_data
        return services.reservation_create(
            unit=data["unit"],
            client=data["client"],
            deposit=data["deposit"],
            expires_at=data["expires_at"],
            agent=data.get("agent"),
            notes=data.get("notes", ""),
            by=by,
        )


@admin.register(Reservation)
class ReservationAdmin(GenerateDocumentsMixin, ViewOnlyHistoryAdmin, WorkflowAdmin):
    export_columns = [
        "number",
        ("unit__code", "Unit"),
        ("client__name", "Client"),
        ("agent__username", "Agent"),
        "deposit",
        "currency",
        "expires_at",
        "status",
        "closed_at",
        "cancel_reason",
        ("created_at", "Reserved at"),
    ]
    generated_kinds = ("reservation_form",)
    form = ReservationForm
    list_display = [
        "number",
        "unit",
        "client",
        "agent",
        "deposit_display",
        "expires_at",
        "reservation_status",
    ]
    list_select_related = ["unit", "client", "agent"]
    list_filter = [
        ("status", ChoicesDropdownFilter),
        ("agent", AutocompleteSelectFilter),
        ("unit", AutocompleteSelectFilter),
        ("expires_at", RangeDateTimeFilter),
    ]
    search_fields = ["number", "unit__code", "client__name"]
    autocomplete_fields = ["unit", "client", "agent"]
    actions_detail = ["convert", "cancel"]
    steps = {
        "convert": StepAction(
            services.contract_create,
            _("Convert to contract"),
            "handshake",
            _("Draft contract made from reservation %(record)s: check it and sign it."),
            when=lambda r: (
                r.status == ReservationStatus.ACTIVE
                and not selectors.reservation_has_live_contract(r)
            ),
            dialog=confirm(
                _("Convert to contract"),
                _(
                    "A draft sale contract is made for the client at the unit's list "
                    "price. Signing it converts this reservation."
                ),
                _("Make draft contract"),
            ),
            call=lambda admin, request, reservation, data: _convert(reservation, request.user),
            opens=lambda contract, reservation: contract,
        ),
        "cancel": StepAction(
            services.reservation_cancel,
            _("Cancel reservation"),
            "cancel",
            _("Reservation %(record)s cancelled."),
            when={ReservationStatus.ACTIVE},
            dialog=confirm(
                _("Cancel reservation"),
                _("The unit becomes available again and the unpaid deposit invoice is voided."),
                _("Cancel reservation"),
                ReasonForm,
            ),
            arguments=lambda data: {"reason": data["reason"]},
        ),
    }
    reservation_status = status_badge("status", RESERVATION_FLOW)

    add_fieldsets = [
        (None, {"fields": ["unit", "client", "agent"]}),
        (
            _("Deposit and expiry"),
            {
                "fields": ["deposit", "expires_at"],
                "description": _(
                    "The unit must be available. The deposit is invoiced to the "
                    "client today; it counts towards the price if the reservation "
                    "turns into a signed contract."
                ),
            },
        ),
        (_("Notes"), {"fields": ["notes"]}),
    ]
    change_fieldsets = [
        (None, {"fields": ["number", "status_display", "unit", "client", "agent"]}),
        (
            _("Deposit and expiry"),
            {
                "fields": [
                    "deposit_display",
                    "deposit_invoice",
                    "expires_at",
                    "closed_at",
                    "cancel_reason",
                ]
            },
        ),
        (_("Contract"), {"fields": ["contract_link"]}),
        (_("Notes"), {"fields": ["notes"]}),
    ]
    computed = [
        "number",
        "status_display",
        "deposit_display",
        "deposit_invoice",
        "closed_at",
        "cancel_reason",
        "contract_link",
    ]

    def get_fieldsets(self, request, obj=None):
        return self.change_fieldsets if obj else self.add_fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [*self.computed, "unit", "client", "expires_at"]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        in_a_week = timezone.localtime() + timedelta(days=7)
        initial.setdefault(
            "expires_at", in_a_week.replace(hour=18, minute=0, second=0, microsecond=0)
        )
        return initial

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != ReservationStatus.ACTIVE:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # cancelled, never deleted: its number and deposit stay on record

    deposit_display = money_column("deposit", _("Deposit"), ordering="deposit")

    @display(description=_("Status"))
    def status_display(self, obj):
        return status_label(obj, RESERVATION_FLOW)

    @display(description=_("Deposit invoice"))
    def deposit_invoice(self, obj):
        receivable = obj.receivables.order_by("pk").first()
        if receivable is None:
            return "—"
        return link(
            receivable.get_absolute_url(),
            f"{receivable.number} · {receivable.get_status_display()}",
        )

    @display(description=_("Sale contract"))
    def contract_link(self, obj):
        contract = selectors.reservation_contract(obj)
        if contract is None:
            return _("None yet: “Convert to contract” makes a draft at the unit's list price.")
        return link(
            contract.get_absolute_url(), f"{contract.number} · {contract.get_status_display()}"
        )


def _convert(reservation, by):
    """A draft contract for the reservation's client at the unit's list price."""
    unit = reservation.unit
    if unit.list_price is None:
        raise ValidationError(
            _("Unit %(code)s has no list price: add one to the unit, or add the contract by hand.")
            % {"code": unit.code}
        )
    return services.contract_create(
        unit=unit, buyer=reservation.client, price=unit.list_price, reservation=reservation, by=by
    )
