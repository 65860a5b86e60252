"""The delivery log: each message on each channel, its status, attempts, the provider's id
and the last error. Read-only; staff send a failed, bounced or skipped one again."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.contrib.filters.admin import ChoicesDropdownFilter, RangeDateFilter
from unfold.decorators import action

from realestate.core.admin import OfferedActionsOnlyMixin, link, status_badge
from realestate.notifications.admin.base import NotificationSetupAdmin
from realestate.notifications.choices import DELIVERY_FLOW, DeliveryStatus
from realestate.notifications.dispatch import delivery_requeue
from realestate.notifications.models import Delivery

#: What "Send again" takes: the statuses the flow lets go back to queued.
RESENDABLE = [
    status for status in DeliveryStatus.values if DELIVERY_FLOW.can(status, DeliveryStatus.QUEUED)
]


@admin.register(Delivery)
class DeliveryAdmin(OfferedActionsOnlyMixin, NotificationSetupAdmin):
    #: Its rows carry people's e-mail addresses and phone numbers: exporting them takes the
    #: "export personal data" permission too.
    personal_data = True
    export_columns = [
        ("created_at", "Written"),
        "channel",
        ("notification__kind", "Kind"),
        ("notification__step", "Step"),
        ("notification__user__username", "User"),
        ("notification__client__name", "Client"),
        "address",
        "status",
        "attempts",
        "provider_id",
        "error",
        "sent_at",
        "next_attempt_at",
    ]
    list_display = (
        "created_at",
        "channel",
        "kind",
        "recipient",
        "address",
        "status_badge",
        "attempts",
        "provider_id",
        "short_error",
        "sent_at",
    )
    list_select_related = ("notification", "notification__user", "notification__client")
    list_filter = (
        ("status", ChoicesDropdownFilter),
        ("channel", ChoicesDropdownFilter),
        ("notification__kind", ChoicesDropdownFilter),
        ("created_at", RangeDateFilter),
    )
    search_fields = ("address", "provider_id", "notification__client__name")
    date_hierarchy = None
    actions = ["send_again"]
    fields = (
        "notification_link",
        "kind",
        "recipient",
        "channel",
        "address",
        "status_badge",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "provider_id",
        "error",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields

    status_badge = status_badge("status", DELIVERY_FLOW, _("Status"))

    @admin.display(description=_("kind"), ordering="notification__kind")
    def kind(self, obj):
        return obj.notification.get_kind_display()

    @admin.display(description=_("recipient"))
    def recipient(self, obj):
        return obj.notification.recipient_label

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return (obj.error[:80] + "…") if len(obj.error) > 80 else (obj.error or "—")

    @admin.display(description=_("message"))
    def notification_link(self, obj):
        note = obj.notification
        text = f"{note.get_kind_display()} {note.step}".strip()
        return link(note.link, text) if note.link else text

    # Written by the services and the dispatch job only.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_resend_permission(self, request):
        # Sending again is a change of the delivery's status: the model's change permission.
        return request.user.has_perm("notifications.change_delivery")

    @action(description=_("Send again"), permissions=["resend"], icon="send")
    def send_again(self, request, queryset):
        sent, refused = 0, 0
        for delivery in queryset.filter(status__in=RESENDABLE):
            try:
                delivery_requeue(delivery)
            except ValidationError:
                refused += 1
            else:
                sent += 1
        refused += queryset.exclude(status__in=RESENDABLE).count()
        if sent:
            self.message_user(
                request,
                ngettext(
                    "%(count)d delivery queued to be sent again.",
                    "%(count)d deliveries queued to be sent again.",
                    sent,
                )
                % {"count": sent},
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%(count)d delivery was left as it is: only failed, bounced or skipped "
                    "ones are sent again.",
                    "%(count)d deliveries were left as they are: only failed, bounced or "
                    "skipped ones are sent again.",
                    refused,
                )
                % {"count": refused},
                messages.WARNING,
            )


def failures_url() -> str:
    """The delivery log filtered to what needs staff: failed and bounced deliveries."""
    return reverse("admin:notifications_delivery_changelist") + "?status__in=failed,bounced"
