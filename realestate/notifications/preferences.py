"""Which channels a message takes to a person.

A person's choice is kept per topic (``User.notification_preferences``: ``{topic: true|false}``
for every channel, or ``{topic: {channel: true|false}}``); where they chose nothing, the
company's default for the kind (``KindSetting``), else the kind's own default
(``KIND_SPECS``). A legal notice always reaches in-app and e-mail; a client without a login
has no in-app or push.
"""

from __future__ import annotations

from realestate.notifications.choices import KIND_SPECS, Channel
from realestate.notifications.models import KindSetting


def company_defaults() -> dict[str, tuple[str, ...]]:
    """``{kind: channels}`` for every kind: the company's setting, else the kind's default."""
    found = {setting.kind: setting.channels() for setting in KindSetting.objects.all()}
    return {kind: found.get(kind, spec.channels) for kind, spec in KIND_SPECS.items()}


def person_choice(preferences: dict | None, topic: str, channel: str) -> bool | None:
    """What the person chose for ``channel`` under ``topic``, or None if they did not."""
    value = (preferences or {}).get(topic)
    if isinstance(value, bool):
        return value
    if isinstance(value, dict) and isinstance(value.get(channel), bool):
        return value[channel]
    return None


def channels_for(
    kind: str,
    *,
    has_user: bool,
    preferences: dict | None = None,
    defaults: dict[str, tuple[str, ...]] | None = None,
) -> tuple[str, ...]:
    """The channels ``kind`` takes to a recipient (``has_user``: with a login)."""
    spec = KIND_SPECS[kind]
    defaults = defaults if defaults is not None else company_defaults()
    chosen = []
    for channel in Channel.values:
        if not has_user and channel in (Channel.IN_APP, Channel.PUSH):
            continue
        if spec.legal and channel in (Channel.IN_APP, Channel.EMAIL):
            chosen.append(channel)
            continue
        choice = person_choice(preferences, spec.topic, channel) if has_user else None
        if choice is None:
            choice = channel in defaults[kind]
        if choice:
            chosen.append(channel)
    return tuple(chosen)


def preferences_full(preferences: dict | None) -> dict[str, dict[str, bool]]:
    """``{topic: {channel: on}}`` for every topic, as the person's choices and the company's
    defaults make it (a topic's channel is on by default if any of its kinds takes it)."""
    from realestate.accounts.choices import NotificationTopic

    defaults = company_defaults()
    full = {}
    for topic in NotificationTopic.values:
        kinds = [kind for kind, spec in KIND_SPECS.items() if spec.topic == topic]
        full[topic] = {}
        for channel in Channel.values:
            choice = person_choice(preferences, topic, channel)
            if choice is None:
                choice = any(channel in defaults[kind] for kind in kinds)
            full[topic][channel] = choice
    return full


def topic_is_legal(topic: str) -> bool:
    return any(spec.legal for spec in KIND_SPECS.values() if spec.topic == topic)
