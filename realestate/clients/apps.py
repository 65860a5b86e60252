from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "realestate.clients"
    label = "clients"
    verbose_name = "Clients"
