from django.apps import AppConfig


class LeasingConfig(AppConfig):
    name = "realestate.leasing"
    label = "leasing"
    verbose_name = "Leasing"

    def ready(self):
        from realestate.leasing.selectors import unit_let_on
        from realestate.properties.availability import unit_hold_register

        unit_hold_register(unit_let_on)
