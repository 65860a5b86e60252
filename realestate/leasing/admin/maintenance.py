"""The admin of maintenance."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import (
    AutocompleteSelectFilter,
    ChoicesDropdownFilter,
    RangeDateFilter,
)
from unfold.decorators import display
from unfold.widgets import (
    UnfoldAdminDecimalFieldWidget,
    UnfoldAdminSelectWidget,
)

from realestate.core.admin import (
    ScopedInline,
    ServiceForm,
    ViewOnlyHistoryAdmin,
    WorkflowAdmin,
    link,
    money,
    status_badge,
    status_label,
)
from realestate.core.money import format_money
from realestate.leasing import services
from realestate.leasing.choices import (
    MAINTENANCE_FLOW,
    PRIORITY,
    MaintenanceStatus,
)
from realestate.leasing.models import (
    MaintenanceComment,
    MaintenancePhoto,
    MaintenanceRequest,
)


class MaintenanceForm(ServiceForm):
    """Adding calls ``maintenance_request_create``; the description fields are edited as
    usual; the status moves only through "Move to", which calls
    ``maintenance_status_change`` with the vendor and the cost."""

    move_to = forms.ChoiceField(label=_("Move to"), required=False, widget=UnfoldAdminSelectWidget)
    job_cost = forms.DecimalField(
        label=_("Job cost"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=UnfoldAdminDecimalFieldWidget,
        help_text=_("Completing with a cost books it as an expense of the unit."),
    )

    class Meta:
        model = MaintenanceRequest
        fields = [
            "unit",
            "reported_by_client",
            "category",
            "priority",
            "title",
            "description",
            "vendor",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.status if self.instance.pk else MaintenanceStatus.OPEN
        labels = dict(MaintenanceStatus.choices)
        allowed = sorted(MAINTENANCE_FLOW.allowed(current), key=MaintenanceStatus.values.index)
        self.fields["move_to"].choices = [("", _("(stay %(s)s)") % {"s": labels[current]})] + [
            (value, labels[value]) for value in allowed
        ]
        if self.instance.pk and self.instance.cost is not None:
            self.fields["job_cost"].initial = self.instance.cost

    def clean(self):
        cleaned = super().clean()
        cost = cleaned.get("job_cost")
        if (
            self.instance.pk
            and not cleaned.get("move_to")
            and cost is not None
            and cost != self.instance.cost
        ):
            self.add_error("job_cost", _("The cost is recorded with a move (e.g. to Completed)."))
        return cleaned

    def save_through_service(self, by):
        data = self.cleaned_data
        if not self.instance.pk:
            return services.maintenance_request_create(
                unit=data["unit"],
                title=data["title"],
                category=data["category"],
                by=by,
                reported_by_client=data.get("reported_by_client"),
                priority=data.get("priority"),
                description=data.get("description", ""),
                vendor=data.get("vendor"),
            )
        request = self.save_edited_fields()  # title, category, priority, vendor...
        if data.get("move_to"):
            request = services.maintenance_status_change(
                request=request,
                status=data["move_to"],
                by=by,
                cost=data.get("job_cost"),
                vendor=data.get("vendor"),
            )
        return request


class MaintenancePhotoInline(ScopedInline):
    model = MaintenancePhoto
    fields = ["image", "caption"]
    extra = 0
    tab = True


class MaintenanceCommentInline(ScopedInline):
    """The thread the tenant follows in the app: staff answer here; comments are not edited
    (a new one corrects an old one)."""

    model = MaintenanceComment
    fields = ["created_at", "author", "body"]
    readonly_fields = ["created_at", "author"]
    extra = 0
    tab = True
    verbose_name_plural = _("Comments (shown to the tenant in the app)")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MaintenanceRequest)
class MaintenanceRequestAdmin(ViewOnlyHistoryAdmin, WorkflowAdmin):
    export_columns = [
        "number",
        "title",
        ("unit__code", "Unit"),
        ("lease__number", "Lease"),
        ("reported_by_client__name", "Reported by (client)"),
        ("reported_by_user__username", "Reported by (staff)"),
        "category",
        "priority",
        "status",
        ("vendor__name", "Vendor"),
        "cost",
        "currency",
        "completed_on",
        ("created_at", "Reported at"),
    ]
    form = MaintenanceForm
    list_display = [
        "number",
        "title",
        "unit",
        "priority_badge",
        "maintenance_status",
        "vendor",
        "cost_display",
        "reported_on",
    ]
    list_select_related = ["unit", "vendor"]
    list_filter = [
        ("status", ChoicesDropdownFilter),
        ("priority", ChoicesDropdownFilter),
        ("category", ChoicesDropdownFilter),
        ("vendor", AutocompleteSelectFilter),
        ("unit", AutocompleteSelectFilter),
        ("created_at", RangeDateFilter),
    ]
    search_fields = ["number", "title", "unit__code"]
    autocomplete_fields = ["unit", "reported_by_client", "vendor"]
    inlines = [MaintenancePhotoInline, MaintenanceCommentInline]
    maintenance_status = status_badge("status", MAINTENANCE_FLOW)
    priority_badge = status_badge("priority", PRIORITY, _("Priority"))

    add_fieldsets = [
        (
            None,
            {
                "fields": [
                    "unit",
                    "reported_by_client",
                    "category",
                    "priority",
                    "title",
                    "description",
                ]
            },
        ),
        (_("Work"), {"fields": ["vendor"]}),
    ]
    change_fieldsets = [
        (
            None,
            {
                "fields": [
                    "number",
                    "status_display",
                    "unit",
                    "lease",
                    "reported_by_client",
                    "reported_by_user",
                    "category",
                    "priority",
                    "title",
                    "description",
                    "permission_to_enter",
                ]
            },
        ),
        (_("Work"), {"fields": ["vendor", "cost_display", "completed_on", "expense_link"]}),
    ]
    move_fieldset = (_("Move"), {"fields": ["move_to", "job_cost"]})

    def get_inlines(self, request, obj):
        # The thread starts once the request exists.
        return self.inlines if obj is not None else [MaintenancePhotoInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not MaintenanceComment:
            return super().save_formset(request, form, formset, change)
        for comment in formset.save(commit=False):
            comment.author = comment.author or request.user
            comment.save()
        return None

    computed = [
        "number",
        "status_display",
        "lease",
        "reported_by_user",
        "cost_display",
        "completed_on",
        "expense_link",
    ]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        if self.has_change_permission(request, obj):
            return [*self.change_fieldsets, self.move_fieldset]
        return self.change_fieldsets

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else [*self.computed, "unit"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and not MAINTENANCE_FLOW.allowed(obj.status):
            return False  # closed or declined: read-only
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @display(description=_("Reported"), ordering="created_at")
    def reported_on(self, obj):
        return date_format(timezone.localtime(obj.created_at))

    @display(description=_("Cost"), ordering="cost")
    def cost_display(self, obj):
        return money(obj.cost, obj.currency) if obj.cost is not None else "—"

    @display(description=_("Status"))
    def status_display(self, obj):
        return status_label(obj, MAINTENANCE_FLOW)

    @display(description=_("Expense"))
    def expense_link(self, obj):
        expense = getattr(obj, "expense", None)  # reverse one-to-one: None when missing
        if expense is None:
            return "—"
        url = reverse("admin:finance_expense_change", args=[expense.pk])
        return link(
            url,
            f"{format_money(expense.amount, expense.currency)} · {expense.incurred_on:%d %b %Y}",
        )
