"""Staff roles: groups with model permissions, declared once and kept in sync.

A role grants *model* permissions: a permission held here applies to every row of the model.
Roles that work on assigned records only (sales agents) hold add permissions here and
receive view/change on individual records as object grants when records are assigned to them.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

ALL = ("view", "add", "change", "delete")
READ = ("view",)

INVENTORY = ["properties.project", "properties.building", "properties.unit",
             "properties.amenity", "properties.unitphoto"]
CRM = ["clients.client", "clients.lead", "clients.viewing"]
ORGANISATION = ["accounts.branch", "accounts.agent"]
SALES = ["sales.paymentplan", "sales.reservation", "sales.salecontract", "sales.commission"]
LEASING = ["leasing.lease", "leasing.rentcharge", "leasing.deposittransaction",
           "leasing.vendor", "leasing.maintenancerequest", "leasing.maintenancephoto"]
MONEY = ["finance.receivable", "finance.payment", "finance.allocation",
         "finance.paymentreversal", "finance.latefeepolicy", "finance.expense",
         "finance.ownerstatement"]

ADMINISTRATOR = "Administrator"
SALES_MANAGER = "Sales Manager"
SALES_AGENT = "Sales Agent"
LEASING_MANAGER = "Leasing Manager"
ACCOUNTANT = "Accountant"
AUDITOR = "Auditor"

ROLES: dict[str, dict[str, tuple[str, ...]]] = {
    ADMINISTRATOR: {
        **dict.fromkeys(INVENTORY + CRM + ORGANISATION + SALES + LEASING + MONEY
                        + ["accounts.user", "auth.group"], ALL),
        "properties.inventorysnapshot": READ,
        "django_q.schedule": ALL,
        "django_q.success": READ,
        "django_q.failure": READ,
    },
    SALES_MANAGER: {
        **dict.fromkeys(INVENTORY + CRM + SALES, ("view", "add", "change")),
        **dict.fromkeys(ORGANISATION + MONEY, READ),
        "properties.inventorysnapshot": READ,
    },
    # Sees and edits only what is assigned to them (object grants); may create CRM records.
    SALES_AGENT: {
        "clients.client": ("add",),
        "clients.lead": ("add",),
        "clients.viewing": ("add",),
        "sales.reservation": ("add",),
        "sales.salecontract": ("add",),
        "sales.paymentplan": READ,
        "properties.project": READ,
        "properties.building": READ,
        "properties.amenity": READ,
    },
    LEASING_MANAGER: {
        **dict.fromkeys(LEASING, ("view", "add", "change")),
        **dict.fromkeys(INVENTORY + CRM, ("view", "change")),
        "clients.client": ("view", "add", "change"),
        "finance.receivable": READ,
        "finance.payment": READ,
        "finance.expense": ("view", "add", "change"),
        "finance.latefeepolicy": READ,
    },
    ACCOUNTANT: {
        **dict.fromkeys(MONEY, ("view", "add", "change")),
        **dict.fromkeys(SALES + LEASING + ["clients.client", "properties.unit",
                                           "properties.project"], READ),
        "sales.commission": ("view", "change"),
    },
    AUDITOR: {
        **dict.fromkeys(INVENTORY + CRM + ORGANISATION + SALES + LEASING + MONEY, READ),
        "properties.inventorysnapshot": READ,
    },
}


def _permission_ids(spec: dict[str, tuple[str, ...]]) -> set[int]:
    wanted = set()
    for label, actions in spec.items():
        app_label, model_name = label.split(".")
        wanted.update((app_label, f"{action}_{model_name}") for action in actions)
    rows = Permission.objects.filter(
        content_type__app_label__in={app for app, _ in wanted}
    ).values_list("id", "content_type__app_label", "codename")
    found = {(app, codename): pk for pk, app, codename in rows}
    missing = wanted - found.keys()
    if missing:
        raise LookupError(f"Unknown permissions in role definitions: {sorted(missing)}")
    return {found[key] for key in wanted}


@transaction.atomic
def roles_sync() -> dict[str, int]:
    """Make every role's group hold exactly its declared permissions; returns changes made."""
    changes = {}
    for name, spec in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = _permission_ids(spec)
        current = set(group.permissions.values_list("id", flat=True))
        if wanted != current:
            group.permissions.set(wanted)
        changes[name] = len(wanted ^ current)
    return changes
