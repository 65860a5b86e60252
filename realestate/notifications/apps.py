from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "realestate.notifications"
    verbose_name = "Notifications"

    def ready(self):
        from anymail.signals import tracking

        from realestate.notifications.tracking import on_tracking

        tracking.connect(on_tracking, dispatch_uid="notifications-email-bounces")
