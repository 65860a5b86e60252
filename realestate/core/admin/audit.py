"""The audit log: who changed what, and when, in the admin, for administrators and auditors.

Every add, change and delete made in the admin is in Django's admin log, with the fields that
changed; role membership and role permissions say which roles or permissions were added and
removed (``accounts.admin``), and single-record grants say what was granted to whom
(``core.admin.GrantsAdminMixin``). Changes made by services, jobs, imports and the API are in
each record's own history (its "History" page), which the log links to.
"""

from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.contrib.filters.admin import (
    RangeDateTimeFilter,
    RelatedDropdownFilter,
)
from unfold.decorators import display

from realestate.core.admin.base import ListExportMixin, MissingIs404Mixin, ReadOnlyMixin
from realestate.core.admin.display import DANGER, GOOD, INFO, link


@admin.register(LogEntry)
class LogEntryAdmin(ListExportMixin, MissingIs404Mixin, ReadOnlyMixin, ModelAdmin):
    export_columns = [
        ("action_time", "When"),
        ("user__username", "User"),
        ("action_flag", "Action"),
        ("content_type__model", "Record type"),
        ("object_id", "Record id"),
        ("object_repr", "Record"),
        ("change_message", "What changed"),
    ]
    list_display = ["action_time", "user", "action", "content_type", "record", "summary"]
    list_select_related = ["user", "content_type"]
    list_filter = [
        ("action_time", RangeDateTimeFilter),
        "action_flag",
        ("user", RelatedDropdownFilter),
        ("content_type", RelatedDropdownFilter),
    ]
    list_filter_submit = True
    search_fields = ["object_repr", "change_message", "user__username", "object_id"]
    date_hierarchy = "action_time"
    list_per_page = 50
    show_full_result_count = False
    fields = ["action_time", "user", "action", "content_type", "record", "summary"]
    readonly_fields = fields

    @display(
        description=_("Action"),
        ordering="action_flag",
        label={"added": GOOD, "changed": INFO, "deleted": DANGER},
    )
    def action(self, obj):
        kind = {ADDITION: "added", CHANGE: "changed", DELETION: "deleted"}[obj.action_flag]
        return kind, obj.get_action_flag_display()

    @display(description=_("Record"), ordering="object_repr")
    def record(self, obj):
        url = obj.get_admin_url() if obj.action_flag != DELETION else None
        return link(url, obj.object_repr) if url else obj.object_repr

    @display(description=_("What changed"))
    def summary(self, obj):
        return obj.get_change_message() or "—"
