"""The admin sidebar: sections by domain, each link shown only to those who may use it."""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _


def _admin_of(model_label: str):
    return admin.site._registry.get(apps.get_model(model_label))


def _admin_url(model_label: str, view: str) -> str:
    app_label, model_name = model_label.lower().split(".")
    return reverse(f"admin:{app_label}_{model_name}_{view}")


def can_view(model_label: str):
    """Permission callback: the user may open the model's list, or at least add to it."""

    def check(request) -> bool:
        model_admin = _admin_of(model_label)
        # Module permission alone is too wide for Django's own admins (any permission of the
        # app opens it: the "export personal data" permission is the users model's).
        return bool(
            model_admin
            and model_admin.has_module_permission(request)
            and (
                model_admin.has_view_or_change_permission(request)
                or model_admin.has_add_permission(request)
            )
        )

    return check


def list_or_add(model_label: str):
    """Link callback: the model's list; its add form for those who may add but see no row
    yet (a new agent's first client), whom the list would refuse."""

    def target(request) -> str:
        model_admin = _admin_of(model_label)
        if (
            model_admin
            and not model_admin.has_view_or_change_permission(request)
            and model_admin.has_add_permission(request)
        ):
            return _admin_url(model_label, "add")
        return _admin_url(model_label, "changelist")

    target.model_label = model_label  # read by breadcrumb_names
    return target


def under(model_label: str):
    """Active callback: the sidebar item is lit on every page of the model."""

    def active(request) -> bool:
        return request.path.startswith(_admin_url(model_label, "changelist"))

    return active


def model_link(title, model_label, icon):
    return {
        "title": title,
        "icon": icon,
        "link": list_or_add(model_label),
        "active": under(model_label),
        "permission": can_view(model_label),
    }


def section(title, items):
    return {"title": title, "separator": True, "collapsible": True, "items": items}


SIDEBAR_NAVIGATION = [
    {
        "title": _("Overview"),
        "separator": False,
        "items": [
            {"title": _("Dashboard"), "icon": "dashboard", "link": reverse_lazy("admin:index")}
        ],
    },
    section(
        _("Inventory"),
        [
            model_link(_("Projects"), "properties.Project", "domain"),
            model_link(_("Buildings"), "properties.Building", "apartment"),
            model_link(_("Units"), "properties.Unit", "door_front"),
            model_link(_("Amenities"), "properties.Amenity", "pool"),
        ],
    ),
    section(
        _("Clients"),
        [
            model_link(_("Clients"), "clients.Client", "group"),
            model_link(_("Leads"), "clients.Lead", "filter_alt"),
            model_link(_("Viewings"), "clients.Viewing", "event"),
        ],
    ),
    section(
        _("Sales"),
        [
            model_link(_("Reservations"), "sales.Reservation", "bookmark_added"),
            model_link(_("Sale contracts"), "sales.SaleContract", "contract"),
            model_link(_("Payment plans"), "sales.PaymentPlan", "calendar_month"),
            model_link(_("Commissions"), "sales.Commission", "percent"),
        ],
    ),
    section(
        _("Leasing"),
        [
            model_link(_("Leases"), "leasing.Lease", "key"),
            model_link(_("Maintenance"), "leasing.MaintenanceRequest", "build"),
            model_link(_("Vendors"), "leasing.Vendor", "engineering"),
        ],
    ),
    section(
        _("Money"),
        [
            model_link(_("Receivables"), "finance.Receivable", "receipt_long"),
            model_link(_("Payments"), "finance.Payment", "payments"),
            model_link(_("Allocations"), "finance.Allocation", "call_split"),
            model_link(_("Reversals"), "finance.PaymentReversal", "undo"),
            model_link(_("Online payment events"), "finance.OnlinePaymentEvent", "credit_card"),
            model_link(_("Late-fee policies"), "finance.LateFeePolicy", "gavel"),
            model_link(_("Expenses"), "finance.Expense", "request_quote"),
            model_link(_("Owner statements"), "finance.OwnerStatement", "account_balance"),
        ],
    ),
    section(
        _("Documents"),
        [
            model_link(_("Documents"), "documents.Document", "folder_open"),
            model_link(_("Templates"), "documents.DocumentTemplate", "article"),
            model_link(_("Company profile"), "documents.CompanyProfile", "domain"),
            model_link(_("Branch letterheads"), "documents.BranchLetterhead", "storefront"),
            model_link(_("Batches"), "documents.GenerationBatch", "picture_as_pdf"),
        ],
    ),
    section(
        _("Notifications"),
        [
            model_link(_("Delivery log"), "notifications.Delivery", "outgoing_mail"),
            model_link(_("Message templates"), "notifications.MessageTemplate", "edit_note"),
            model_link(_("Company defaults"), "notifications.KindSetting", "tune"),
        ],
    ),
    section(
        _("Organisation"),
        [
            model_link(_("Branches"), "accounts.Branch", "store"),
            model_link(_("Agents"), "accounts.Agent", "badge"),
            model_link(_("Users"), "accounts.User", "person"),
            model_link(_("Roles"), "auth.Group", "admin_panel_settings"),
            model_link(_("Audit log"), "admin.LogEntry", "policy"),
        ],
    ),
    section(
        _("Jobs and reports"),
        [
            model_link(_("Inventory snapshots"), "properties.InventorySnapshot", "insights"),
            model_link(_("Imports"), "core.ImportJob", "upload_file"),
            model_link(_("Exports"), "core.ExportJob", "download"),
            model_link(_("Schedules"), "django_q.Schedule", "schedule"),
            model_link(_("Successful jobs"), "django_q.Success", "task_alt"),
            model_link(_("Failed jobs"), "django_q.Failure", "error"),
            model_link(_("Queued jobs"), "django_q.OrmQ", "pending"),
        ],
    ),
]


def breadcrumb_names() -> dict[str, tuple[str, str]]:
    """A model's list path -> (section title, item title) in the sidebar: the admin's page
    headers name a model's pages as the sidebar does (``core/templates/unfold/helpers/
    header_title.html``), where Django would say "Administration › Log entries" for the
    audit log or "Authentication and Authorization › Groups" for roles."""
    names = {}
    for group in SIDEBAR_NAVIGATION:
        for item in group["items"]:
            label = getattr(item["link"], "model_label", None)
            if label:
                names[_admin_url(label, "changelist")] = (group["title"], item["title"])
    return names
