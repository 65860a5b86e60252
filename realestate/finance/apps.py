from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "realestate.finance"
    label = "finance"
    verbose_name = "Money"
