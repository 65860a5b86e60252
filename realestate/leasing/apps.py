from django.apps import AppConfig


class LeasingConfig(AppConfig):
    name = "realestate.leasing"
    label = "leasing"
    verbose_name = "Leasing"
