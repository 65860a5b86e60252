"""Admin building blocks every app's ``admin.py`` composes.

- ``ScopedAdminMixin`` routes every admin path through ``restrict(user, action)``: the
  changelist, search, autocomplete, change/delete pages, foreign-key choices and exports.
- ``BaseAdmin`` is unfold's ``ModelAdmin`` with that scoping and the house defaults.
- ``ImportExportAdmin`` adds CSV/XLSX import (``imports``: checked, previewed, confirmed,
  in the background for large files) and safe exports (``exports``).
- ``BaseAdmin`` and ``ListExportMixin`` export every list as CSV or XLSX (``exports``), with
  the columns an admin declares in ``export_columns``; large XLSX exports in the background.
- ``MapAdminMixin`` edits point and polygon fields on a Leaflet map.
- ``status_badge`` renders a status as a coloured label in lists; ``label_html`` the same
  label anywhere else (read-only fields, inlines, small tables).
- ``ServiceForm`` and ``WorkflowAdmin`` put a record's saving and its status moves through the
  app's services: a service's refusal shows as a form error or an error message, never as a
  half-written record.
- ``HistoryAdmin`` (``history``) shows a record's history, readably, only to those
  who may see the record; ``ViewOnlyHistoryAdmin`` without offering to revert it (a revert
  would write past the services).
"""

# The admin pages of core's own records, registered on import: the audit log, the job pages.
from realestate.core.admin import audit, export_jobs, imports, jobs  # noqa: E402,F401
from realestate.core.admin.base import (
    BaseAdmin,
    ExportAdmin,
    ExportPermissionMixin,
    ListExportMixin,
    MapAdminMixin,
    MissingIs404Mixin,
    ReadOnlyInline,
    ReadOnlyMixin,
)
from realestate.core.admin.display import (
    DANGER,
    GOOD,
    INFO,
    NEUTRAL,
    WARNING,
    NativeDateInput,
    label_html,
    link,
    money,
    money_column,
    small_table,
    status_badge,
    status_label,
)
from realestate.core.admin.forms import ConfirmForm, ReasonForm, ServiceForm, confirm
from realestate.core.admin.grants import GrantsAdminMixin, GrantUserForm
from realestate.core.admin.history import HistoryAdmin, ViewOnlyHistoryAdmin
from realestate.core.admin.imports import ImportButtonMixin, ImportExportAdmin
from realestate.core.admin.panels import Panel, PanelsMixin, TabsMixin, panel_register, tab_register
from realestate.core.admin.scoping import (
    ScopedAdminMixin,
    ScopedChoicesMixin,
    ScopedInline,
    scope_choices,
)
from realestate.core.admin.workflow import (
    OfferedActionsOnlyMixin,
    RecordPaymentMixin,
    StepAction,
    StepActionsMixin,
    WorkflowAdmin,
)

__all__ = [
    "DANGER",
    "GOOD",
    "INFO",
    "NEUTRAL",
    "WARNING",
    "BaseAdmin",
    "ConfirmForm",
    "ExportAdmin",
    "ExportPermissionMixin",
    "GrantUserForm",
    "GrantsAdminMixin",
    "HistoryAdmin",
    "ImportButtonMixin",
    "ImportExportAdmin",
    "ListExportMixin",
    "MapAdminMixin",
    "MissingIs404Mixin",
    "NativeDateInput",
    "OfferedActionsOnlyMixin",
    "Panel",
    "PanelsMixin",
    "ReadOnlyInline",
    "ReadOnlyMixin",
    "ReasonForm",
    "RecordPaymentMixin",
    "ScopedAdminMixin",
    "ScopedChoicesMixin",
    "ScopedInline",
    "ServiceForm",
    "StepAction",
    "StepActionsMixin",
    "TabsMixin",
    "ViewOnlyHistoryAdmin",
    "WorkflowAdmin",
    "confirm",
    "label_html",
    "link",
    "money",
    "money_column",
    "panel_register",
    "scope_choices",
    "small_table",
    "status_badge",
    "status_label",
    "tab_register",
]
