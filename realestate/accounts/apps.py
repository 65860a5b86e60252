from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "realestate.accounts"
    label = "accounts"
    verbose_name = "Staff and agents"
