"""The company's default channels per kind of message: one row per kind, its channels as
checkboxes edited in the list. A person's own choice for the kind's topic wins over them; a
legal notice reaches in-app and e-mail whatever is ticked here."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.decorators import display

from realestate.notifications.admin.base import NotificationSetupAdmin
from realestate.notifications.choices import KIND_SPECS
from realestate.notifications.configuration import kind_settings_ensure
from realestate.notifications.models import KindSetting


@admin.register(KindSetting)
class KindSettingAdmin(NotificationSetupAdmin):
    export_columns = ["kind", "in_app", "email", "sms", "push"]
    list_display = ("kind", "topic", "in_app", "email", "sms", "push", "legal")
    list_display_links = ("kind",)
    list_editable = ("in_app", "email", "sms", "push")
    list_per_page = 100
    ordering = ("kind",)
    fields = ("kind", "in_app", "email", "sms", "push")
    readonly_fields = ("kind",)

    def changelist_view(self, request, extra_context=None):
        # Every kind has its row (its shipped default channels) before staff look.
        if request.method == "GET" and self.has_view_permission(request):
            kind_settings_ensure()
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("topic"))
    def topic(self, obj):
        return KIND_SPECS[obj.kind].topic

    @display(description=_("legal notice"), label={True: "warning"})
    def legal(self, obj):
        legal = KIND_SPECS[obj.kind].legal
        return (legal, _("in-app and e-mail always")) if legal else "—"

    def has_add_permission(self, request):
        return False  # one row per kind, written by kind_settings_ensure

    def has_delete_permission(self, request, obj=None):
        return False
