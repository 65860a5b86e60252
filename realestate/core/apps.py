from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "realestate.core"
    label = "core"
    # Its one admin page, the imports, sits under "Jobs and reports" in the sidebar.
    verbose_name = "Jobs and reports"

    def ready(self):
        from realestate.core import signals

        signals._connect()
