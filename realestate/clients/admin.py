from django import forms
from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
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
    LeadStatus,
    LostReason,
    ViewingStatus,
)
from realestate.clients.models import Client, Lead, Viewing
from realestate.clients.resources import ClientResource
from realestate.core.admin import (
    DANGER,
    GOOD,
    INFO,
    NEUTRAL,
    WARNING,
    BaseAdmin,
    ExportAdmin,
    HistoryAdmin,
    ScopedInline,
    StepAction,
    StepActionsMixin,
    ViewOnlyHistoryAdmin,
    confirm,
    link,
    money,
    small_table,
    status_badge,
)
from realestate.finance import services as finance
from realestate.finance.models import Payment, Receivable

LEAD_STATUS_COLOURS = {
    LeadStatus.NEW: INFO,
    LeadStatus.CONTACTED: INFO,
    LeadStatus.QUALIFIED: WARNING,
    LeadStatus.VIEWING: WARNING,
    LeadStatus.NEGOTIATION: WARNING,
    LeadStatus.WON: GOOD,
    LeadStatus.LOST: DANGER,
}
VIEWING_STATUS_COLOURS = {
    ViewingStatus.SCHEDULED: INFO,
    ViewingStatus.DONE: GOOD,
    ViewingStatus.CANCELLED: NEUTRAL,
    ViewingStatus.NO_SHOW: DANGER,
}


class LeadInline(ScopedInline):
    model = Lead
    fields = ["status", "unit", "project", "agent", "next_follow_up"]
    readonly_fields = ["status"]
    autocomplete_fields = ["unit", "project", "agent"]
    extra = 0
    show_change_link = True
    tab = True


@admin.register(Client)
class ClientAdmin(HistoryAdmin, ExportAdmin):
    resource_classes = [ClientResource]
    list_display = ["name", "kind", "email", "phone", "source", "agent", "id_expiry"]
    list_select_related = ["agent"]
    list_filter = [("kind", ChoicesDropdownFilter), ("source", ChoicesDropdownFilter),
                   ("agent", AutocompleteSelectFilter), ("id_expiry", RangeDateFilter)]
    search_fields = ["name", "email", "phone", "id_number"]
    autocomplete_fields = ["agent", "portal_user"]
    inlines = [LeadInline]
    fieldsets = [
        (None, {"fields": ["kind", "name", "email", "phone", "address", "nationality"]}),
        (_("Identity"), {"fields": ["id_type", "id_number", "id_expiry"]}),
        (_("Relationship"), {"fields": ["agent", "source", "portal_user", "notes"]}),
    ]
    readonly_fields = ["account_balance", "account_records"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self._may_see_money(request):
            return fieldsets
        obj._viewer = request.user  # the account panel counts only what this user may see
        return [*fieldsets, (_("Account"), {"fields": ["account_balance", "account_records"]})]

    def _may_see_money(self, request) -> bool:
        receivables = admin.site._registry.get(Receivable)
        return bool(receivables and receivables.has_view_permission(request))

    @admin.display(description=_("Balance and ageing"))
    def account_balance(self, obj):
        if obj.pk is None:
            return "—"
        balance = finance.client_balance(obj)
        currency = settings.DEFAULT_CURRENCY
        ageing = balance["ageing"]
        totals = small_table(
            [_("Charged"), _("Received"), _("Credit"), _("Due"), _("Overdue")],
            [[money(balance[key], currency)
              for key in ("charged", "received", "credit", "due", "overdue")]],
        )
        buckets = small_table(
            [_("Not yet late"), _("1–30 days"), _("31–60 days"), _("61–90 days"),
             _("Over 90 days")],
            [[money(ageing[key], currency)
              for key in ("current", "1_30", "31_60", "61_90", "over_90")]],
        )
        return format_html('<div class="flex flex-col gap-3 w-full">{}{}</div>', totals, buckets)

    @admin.display(description=_("Records"))
    def account_records(self, obj):
        if obj.pk is None:
            return "—"
        user = getattr(obj, "_viewer", None)
        lines = []
        for model, label in ((Receivable, _("%(n)s receivable(s)")),
                             (Payment, _("%(n)s payment(s)"))):
            rows = model.objects.restrict(user, "view").filter(client=obj)
            url = (reverse(f"admin:finance_{model._meta.model_name}_changelist")
                   + f"?client__id__exact={obj.pk}")
            lines.append(link(url, label % {"n": rows.count()}))
        return format_html("{} · {}", *lines)


class LeadForm(forms.ModelForm):
    """The change form offers the pipeline's next stages; saving moves the lead via the service."""

    move_to = forms.ChoiceField(label=_("Move to"), required=False)
    lost_reason_choice = forms.ChoiceField(
        label=_("Reason, if lost"), choices=[("", "—"), *LostReason.choices], required=False
    )

    class Meta:
        model = Lead
        fields = ["client", "agent", "source", "next_follow_up", "unit", "project", "unit_type",
                  "bedrooms", "budget_min", "budget_max", "notes"]

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
class LeadAdmin(ViewOnlyHistoryAdmin, StepActionsMixin, BaseAdmin):
    list_display = ["client", "interest_display", "lead_status", "agent", "next_follow_up",
                    "created_at"]
    list_select_related = ["client", "unit", "project", "agent"]
    list_filter = [("status", ChoicesDropdownFilter), ("agent", AutocompleteSelectFilter),
                   ("project", AutocompleteSelectFilter), ("next_follow_up", RangeDateFilter)]
    search_fields = ["client__name", "client__email", "client__phone", "unit__code",
                     "project__name"]
    autocomplete_fields = ["client", "unit", "project", "agent"]
    readonly_fields = ["status", "lost_reason"]
    fieldsets = [
        (None, {"fields": ["client", "status", "lost_reason", "agent", "source",
                           "next_follow_up"]}),
        (_("Interest"), {"fields": ["unit", "project", "unit_type", "bedrooms", "budget_min",
                                    "budget_max"]}),
        (_("Notes"), {"fields": ["notes"]}),
    ]
    form = LeadForm
    lead_status = status_badge("status", LEAD_STATUS_COLOURS)
    actions_detail = ["advance"]
    steps = {
        "advance": StepAction(
            services.lead_status_change, _("Advance to next stage"), "arrow_forward",
            _("Lead %(record)s moved to its next stage."),
            when=lambda lead: LEAD_STATUS_FLOW.forward(lead.status) is not None,
            dialog=confirm(_("Advance to next stage"),
                           _("The lead moves on to the next stage of the pipeline: new, "
                             "contacted, qualified, viewing, negotiation, won."), _("Advance")),
            call=lambda admin, request, lead, data: services.lead_status_change(
                lead=lead, status=LEAD_STATUS_FLOW.forward(lead.status), by=request.user),
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
                lead=obj, status=target, by=request.user,
                lost_reason=form.cleaned_data.get("lost_reason_choice", ""),
            )

    @admin.display(description=_("Interest"))
    def interest_display(self, obj):
        return obj.interest


class ViewingFeedbackForm(BaseDialogForm):
    feedback = forms.CharField(label=_("Feedback"), required=False,
                               widget=UnfoldAdminTextareaWidget(attrs={"rows": 3}),
                               help_text=_("What the client said about the unit."))


def _viewing_step(status: str, label: str, icon: str, done: str, dialog=None):
    return StepAction(
        services.viewing_status_change, label, icon, done, when={ViewingStatus.SCHEDULED},
        dialog=dialog, bulk=True,
        arguments=lambda data: {"status": status, "feedback": data.get("feedback", "")},
    )


@admin.register(Viewing)
class ViewingAdmin(StepActionsMixin, BaseAdmin):
    list_display = ["scheduled_at", "unit", "client", "agent", "viewing_status"]
    list_select_related = ["unit", "client", "agent"]
    list_filter = [("status", ChoicesDropdownFilter), ("agent", AutocompleteSelectFilter),
                   ("scheduled_at", RangeDateFilter)]
    search_fields = ["unit__code", "client__name"]
    autocomplete_fields = ["client", "unit", "lead", "agent"]
    readonly_fields = ["status"]
    fields = ["client", "unit", "lead", "agent", "scheduled_at", "status", "feedback"]
    date_hierarchy = "scheduled_at"
    viewing_status = status_badge("status", VIEWING_STATUS_COLOURS)
    actions_detail = ["mark_done", "mark_no_show", "mark_cancelled"]
    steps = {
        "mark_done": _viewing_step(
            ViewingStatus.DONE, _("Mark done"), "task_alt", _("Viewing %(record)s done."),
            confirm(_("Viewing done"), _("The viewing took place. A qualified lead moves on to "
                                         "its viewing stage."), _("Mark done"),
                    ViewingFeedbackForm)),
        "mark_no_show": _viewing_step(
            ViewingStatus.NO_SHOW, _("Mark no-show"), "person_off",
            _("Viewing %(record)s marked as a no-show."),
            confirm(_("Client did not come"), _("The client did not come to the viewing."),
                    _("Mark no-show"))),
        "mark_cancelled": _viewing_step(
            ViewingStatus.CANCELLED, _("Cancel"), "event_busy", _("Viewing %(record)s cancelled."),
            confirm(_("Cancel viewing"), _("The viewing will not take place."),
                    _("Cancel viewing"))),
    }
