from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "realestate.sales"
    label = "sales"
    verbose_name = "Sales"

    def ready(self):
        from realestate.properties.availability import unit_hold_register
        from realestate.sales import signals  # noqa: F401
        from realestate.sales.selectors import unit_reserved_on

        unit_hold_register(unit_reserved_on)
