from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "realestate.sales"
    label = "sales"
    verbose_name = "Sales"

    def ready(self):
        from realestate.sales import signals  # noqa: F401
