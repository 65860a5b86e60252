"""Staff roles: groups with model permissions, declared in ``fixtures/roles.json`` and kept in
sync by ``python manage.py sync_roles`` (a second run changes nothing).

A role grants *model* permissions: a permission held here applies to every row of the model.
Roles that work on some records only hold add permissions here and reach their records
through object grants: a sales agent's assigned records, a sales manager's branch (whose grant
reaches what is assigned to its agents), a leasing manager's projects and buildings (whose
grants reach the units, leases and maintenance under them). See ``core.permissions``.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction

#: The role definitions: ``{role: {"app.model": [actions or custom codenames]}}``, with an
#: ``_about`` line per role that the Roles page shows. Edit the file, then ``sync_roles``.
ROLES_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "roles.json"

ADMINISTRATOR = "Administrator"
SALES_MANAGER = "Sales Manager"
SALES_AGENT = "Sales Agent"
LEASING_MANAGER = "Leasing Manager"
ACCOUNTANT = "Accountant"
AUDITOR = "Auditor"


def roles_load(path: Path = ROLES_FIXTURE) -> dict[str, dict[str, tuple[str, ...]]]:
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    return {
        name: {label: tuple(actions) for label, actions in spec.items() if label != "_about"}
        for name, spec in data.items()
    }


ROLES = roles_load()

#: The default model permissions; any other name in a role is a custom permission's codename
#: (``accounts.user: ["export_personal_data"]``).
MODEL_ACTIONS = ("view", "add", "change", "delete")


def roles_about(path: Path = ROLES_FIXTURE) -> dict[str, str]:
    """What each role is for, as the fixture says (shown on the Roles page)."""
    with open(path, encoding="utf-8") as handle:
        return {name: spec.get("_about", "") for name, spec in json.load(handle).items()}


def _permission_ids(spec: dict[str, tuple[str, ...]], using: str) -> set[int]:
    wanted = set()
    for label, actions in spec.items():
        app_label, model_name = label.split(".")
        wanted.update(
            (app_label, f"{action}_{model_name}" if action in MODEL_ACTIONS else action)
            for action in actions
        )
    rows = (
        Permission.objects.using(using)
        .filter(content_type__app_label__in={app for app, _ in wanted})
        .values_list("id", "content_type__app_label", "codename")
    )
    found = {(app, codename): pk for pk, app, codename in rows}
    missing = wanted - found.keys()
    if missing:
        raise LookupError(f"Unknown permissions in role definitions: {sorted(missing)}")
    return {found[key] for key in wanted}


def roles_sync(using: str = "default") -> dict[str, int]:
    """Make every role's group hold exactly its declared permissions; returns changes made."""
    changes = {}
    with transaction.atomic(using=using):
        for name, spec in roles_load().items():
            changes[name] = _role_sync(name, spec, using)
    return changes


def _role_sync(name: str, spec: dict[str, tuple[str, ...]], using: str) -> int:
    group, _created = Group.objects.using(using).get_or_create(name=name)
    wanted = _permission_ids(spec, using)
    current = set(group.permissions.values_list("id", flat=True))
    if wanted != current:
        group.permissions.set(wanted)
    return len(wanted ^ current)
