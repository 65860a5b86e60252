from django.apps import AppConfig


class PropertiesConfig(AppConfig):
    name = "realestate.properties"
    label = "properties"
    verbose_name = "Inventory"
