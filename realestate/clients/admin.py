from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import (
    AutocompleteSelectFilter,
    ChoicesDropdownFilter,
    RangeDateFilter,
)
from unfold.forms import BaseDialogForm
from unfold.widgets import UnfoldAdminTextareaWidget

from realestate.clients import services
from realestate.clients.choices import (
    LEAD_STATUS_FLOW,
    VIEWING_STATUS_FLOW,
    LeadStatus,
    LostReason,
    ViewingStatus,
)
from realestate.clients.models import Client, Lead, Viewing
from realestate.core.admin import (
    BaseAdmin,
    HistoryAdmin,
    ImportExportAdmin,
    PanelsMixin,
    ScopedInline,
    StepAction,
    StepActionsMixin,
    ViewOnlyHistoryAdmin,
    confirm,
    status_badge,
)
from realestate.documents.actions import GenerateDocumentsMixin


class LeadInline(ScopedInline):
    model = Lead
    fields = ["status", "unit", "project", "agent", "next_follow_up"]
    readonly_fields = ["status"]
    autocomplete_fields = ["unit", "project", "agent"]
    extra = 0
    show_change_link = True
    tab = True


@admin.register(Client)
class ClientAdmin(GenerateDocumentsMixin, PanelsMixin, HistoryAdmin, ImportExportAdmin):
    generated_kinds = ("statement",)
    list_display = ["name", "code", "kind", "email", "phone", "source", "agent", "id_expiry"]
    list_select_related = ["agent"]
    list_filter = [
        ("kind", ChoicesDropdownFilter),
        ("source", ChoicesDropdownFilter),
        ("agent", AutocompleteSelectFilter),
        ("id_expiry", RangeDateFilter),
    ]
    search_fields = ["name", "code", "email", "phone", "id_number"]
    autocomplete_fields = ["agent", "portal_user"]
    inlines = [LeadInline]
    fieldsets = [
        (None, {"fields": ["code", "kind", "name", "email", "phone", "address", "nationality"]}),
        (_("Identity"), {"fields": ["id_type", "id_number", "id_expiry"]}),
        (_("Relationship"), {"fields": ["agent", "source", "portal_user", "notes"]}),
    ]


class LeadForm(forms.ModelForm):
    """The change form offers the pipeline's next stages; saving moves the lead via the service."""

    move_to = forms.ChoiceField(label=_("Move to"), required=False)
    lost_reason_choice = forms.ChoiceField(
        label=_("Reason, if lost"), choices=[("", "—"), *LostReason.choices], required=False
    )

    class Meta:
        model = Lead
        fields = [
            "code",
            "client",
            "agent",
            "source",
            "next_follow_up",
            "unit",
            "project",
            "unit_type",
            "bedrooms",
            "budget_min",
            "budget_max",
            "notes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.status if self.instance.pk else LeadStatus.NEW
        labels = dict(LeadStatus.choices)
        allowed = sorted(LEAD_STATUS_FLOW.allowed(current), key=LeadStatus.values.index)
        self.fields["move_to"].choices = [("", _("(stay %(s)s)") % {"s": labels[current]})] + [
            (value, labels[value]) for value in allowed
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("move_to") == LeadStatus.LOST and not cleaned.get("lost_reason_choice"):
            self.add_error("lost_reason_choice", _("Say why the lead was lost."))
        return cleaned


@admin.register(Lead)
class LeadAdmin(ViewOnlyHistoryAdmin, StepActionsMixin, ImportExportAdmin):
    personal_data = True  # the client's name, budget and notes
    list_display = [
        "code",
        "client",
        "interest_display",
        "lead_status",
        "agent",
        "next_follow_up",
        "created_at",
    ]
    list_select_related = ["client", "unit", "project", "agent"]
    list_filter = [
        ("status", ChoicesDropdownFilter),
        ("agent", AutocompleteSelectFilter),
        ("project", AutocompleteSelectFilter),
        ("next_follow_up", RangeDateFilter),
    ]
    search_fields = [
        "code",
        "client__code",
        "client__name",
        "client__email",
        "client__phone",
        "unit__code",
        "project__name",
    ]
    autocomplete_fields = ["client", "unit", "project", "agent"]
    readonly_fields = ["status", "lost_reason"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    "client",
                    "status",
                    "lost_reason",
                    "agent",
                    "source",
                    "next_follow_up",
                ]
            },
        ),
        (
            _("Interest"),
            {"fields": ["unit", "project", "unit_type", "bedrooms", "budget_min", "budget_max"]},
        ),
        (_("Notes"), {"fields": ["notes"]}),
    ]
    form = LeadForm
    lead_status = status_badge("status", LEAD_STATUS_FLOW)
    actions_detail = ["advance"]
    steps = {
        "advance": StepAction(
            services.lead_status_change,
            _("Advance to next stage"),
            "arrow_forward",
            _("Lead %(record)s moved to its next stage."),
            when=lambda lead: LEAD_STATUS_FLOW.forward(lead.status) is not None,
            dialog=confirm(
                _("Advance to next stage"),
                _(
                    "The lead moves on to the next stage of the pipeline: new, "
                    "contacted, qualified, viewing, negotiation, won."
                ),
                _("Advance"),
            ),
            call=lambda admin, request, lead, data: services.lead_status_change(
                lead=lead, status=LEAD_STATUS_FLOW.forward(lead.status), by=request.user
            ),
        ),
    }

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.has_change_permission(request, obj):
            return fieldsets
        return [*fieldsets, (_("Pipeline"), {"fields": ["move_to", "lost_reason_choice"]})]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        target = form.cleaned_data.get("move_to")
        if target:
            services.lead_status_change(
                lead=obj,
                status=target,
                by=request.user,
                lost_reason=form.cleaned_data.get("lost_reason_choice", ""),
            )

    @admin.display(description=_("Interest"))
    def interest_display(self, obj):
        return obj.interest


class ViewingFeedbackForm(BaseDialogForm):
    feedback = forms.CharField(
        label=_("Feedback"),
        required=False,
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 3}),
        help_text=_("What the client said about the unit."),
    )


def _viewing_step(status: str, label: str, icon: str, done: str, dialog=None):
    return StepAction(
        services.viewing_status_change,
        label,
        icon,
        done,
        when={ViewingStatus.SCHEDULED},
        dialog=dialog,
        bulk=True,
        arguments=lambda data: {"status": status, "feedback": data.get("feedback", "")},
    )


@admin.register(Viewing)
class ViewingAdmin(StepActionsMixin, BaseAdmin):
    personal_data = True  # who viewed what, and their feedback
    export_columns = [
        "scheduled_at",
        ("unit__code", "Unit"),
        ("client__name", "Client"),
        ("agent__username", "Agent"),
        "status",
        "feedback",
    ]
    list_display = ["scheduled_at", "unit", "client", "agent", "viewing_status"]
    list_select_related = ["unit", "client", "agent"]
    list_filter = [
        ("status", ChoicesDropdownFilter),
        ("agent", AutocompleteSelectFilter),
        ("scheduled_at", RangeDateFilter),
    ]
    search_fields = ["unit__code", "client__name"]
    autocomplete_fields = ["client", "unit", "lead", "agent"]
    # The check-in is the agent's, from the app (``viewing_check_in``): shown, never typed.
    readonly_fields = ["status", "checked_in_at", "check_in_distance_m"]
    fields = [
        "client", "unit", "lead", "agent", "scheduled_at", "status", "feedback",
        "checked_in_at", "check_in_distance_m",
    ]  # fmt: skip
    date_hierarchy = "scheduled_at"
    viewing_status = status_badge("status", VIEWING_STATUS_FLOW)
    actions_detail = ["mark_done", "mark_no_show", "mark_cancelled"]
    steps = {
        "mark_done": _viewing_step(
            ViewingStatus.DONE,
            _("Mark done"),
            "task_alt",
            _("Viewing %(record)s done."),
            confirm(
                _("Viewing done"),
                _("The viewing took place. A qualified lead moves on to its viewing stage."),
                _("Mark done"),
                ViewingFeedbackForm,
            ),
        ),
        "mark_no_show": _viewing_step(
            ViewingStatus.NO_SHOW,
            _("Mark no-show"),
            "person_off",
            _("Viewing %(record)s marked as a no-show."),
            confirm(
                _("Client did not come"),
                _("The client did not come to the viewing."),
                _("Mark no-show"),
            ),
        ),
        "mark_cancelled": _viewing_step(
            ViewingStatus.CANCELLED,
            _("Cancel"),
            "event_busy",
            _("Viewing %(record)s cancelled."),
            confirm(
                _("Cancel viewing"), _("The viewing will not take place."), _("Cancel viewing")
            ),
        ),
    }
