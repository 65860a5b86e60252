"""Demo set-up of notifications. Used by ``seed_demo``: the shipped message texts as
templates staff can edit, and the company's default channels for every kind."""

from realestate.notifications.configuration import kind_settings_ensure, message_templates_ensure


def seed() -> None:
    message_templates_ensure()
    kind_settings_ensure()
