"""Notifications in the admin, a module per record: the message templates staff edit, the
company's default channels per kind, and the delivery log (read-only, with "Send again")."""

from realestate.notifications.admin.deliveries import DeliveryAdmin
from realestate.notifications.admin.kind_settings import KindSettingAdmin
from realestate.notifications.admin.templates import MessageTemplateAdmin

__all__ = ["DeliveryAdmin", "KindSettingAdmin", "MessageTemplateAdmin"]
