from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "realestate.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from realestate.core import signals

        signals._connect()
