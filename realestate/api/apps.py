from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "realestate.api"
    label = "api"
    verbose_name = "API"
