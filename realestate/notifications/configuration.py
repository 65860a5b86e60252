"""What staff set up for notifications: the message templates (the shipped texts written as
rows to edit, each checked in the sandbox), the company's default channels per kind, and a
person's own choice of topics and channels.

The admin and ``seed_demo`` call these; each is idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from realestate.accounts.choices import NotificationTopic
from realestate.accounts.models import notification_preferences_validate
from realestate.documents.choices import Language
from realestate.documents.sandbox import TemplateProblem, check_tags, compile_body
from realestate.notifications.choices import KIND_SPECS, Channel, MessageKind
from realestate.notifications.defaults import COMMON_PLACEHOLDERS, DEFAULT_TEXTS
from realestate.notifications.models import KindSetting, MessageTemplate
from realestate.notifications.preferences import preferences_full
from realestate.notifications.rendering import render_text

# --- Templates ----------------------------------------------------------------------------


def default_texts(kind: str, channel: str) -> tuple[str, str]:
    """(subject, body) shipped for ``kind`` on ``channel`` (the SMS has its short body)."""
    subject, body, sms, _placeholders = DEFAULT_TEXTS[kind]
    return subject, sms if channel == Channel.SMS else body


def message_templates_ensure(language: str = Language.ENGLISH) -> int:
    """Write the shipped texts as ``MessageTemplate`` rows for every kind and channel in
    ``language`` where there is none, so staff see and edit them; a row staff changed is never
    touched. Returns how many rows were written."""
    existing = set(MessageTemplate.objects.filter(language=language).values_list("kind", "channel"))
    rows = []
    for kind in MessageKind.values:
        for channel in Channel.values:
            if (kind, channel) in existing:
                continue
            subject, body = default_texts(kind, channel)
            rows.append(
                MessageTemplate(
                    kind=kind, channel=channel, language=language, subject=subject, body=body
                )
            )
    # ignore_conflicts: two first visits at once write each row once.
    MessageTemplate.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def placeholders_for(kind: str) -> list[tuple[str, str]]:
    """The placeholders a template of ``kind`` may use, with their meaning: every kind's
    (``name``, ``company``) first, then the kind's own."""
    own = DEFAULT_TEXTS[kind][3] if kind in DEFAULT_TEXTS else {}
    return [(name, str(meaning)) for name, meaning in {**COMMON_PLACEHOLDERS, **own}.items()]


#: Sample data the preview renders with (a placeholder not listed here shows its name).
SAMPLE_VALUES = {
    "name": "Amira Haddad",
    "amount": "12,500.00",
    "balance": "4,200.00",
    "rent": "95,000.00",
    "net_payable": "61,750.00",
    "currency": "AED",
    "due_date": "15 Jan 2027",
    "date": "1 Dec 2026",
    "start_date": "1 Feb 2026",
    "end_date": "31 Jan 2027",
    "expires_at": "2 Dec 2026 18:00",
    "expiry": "20 Dec 2026",
    "follow_up_on": "1 Dec 2026",
    "time": "10:30",
    "days": "10",
    "when": "in 7 days",
    "number": "3",
    "contract": "SC-2026-0042",
    "invoice": "INV-2026-0815",
    "payment": "RCP-2026-0311",
    "lease": "LS-2026-0107",
    "reservation": "RS-2026-0090",
    "request": "MR-2026-0056",
    "unit": "MAR-T1-1204",
    "tenant": "Omar Farouk",
    "client": "Omar Farouk",
    "lead": "Omar Farouk (Website)",
    "with": "Omar Farouk",
    "assignee": "Al Noor Maintenance",
    "category": "Plumbing",
    "priority": "High",
    "description": "Rent, January 2027",
    "period": "November 2026",
    "reason": "Cheque returned unpaid",
    "code": "CL-000123",
    "id_type": "Passport",
}


def sample_context(kind: str) -> dict:
    from realestate.documents.company import company_context

    context = {name: SAMPLE_VALUES.get(name, f"[{name}]") for name, _ in placeholders_for(kind)}
    context["company"] = company_context()["name"]
    return context


def template_problem(text: str, field_label: str) -> str:
    """What is wrong with ``text`` as a template (naming the field and the line), or ""."""
    try:
        check_tags(text)
        compile_body(text)
    except TemplateProblem as problem:
        where = (
            _("%(field)s, line %(line)s") % {"field": field_label, "line": problem.line}
            if problem.line
            else field_label
        )
        return f"{where}: {problem.message}"
    return ""


@dataclass
class Preview:
    subject: str = ""
    text: str = ""
    problem: str = ""


def template_preview(kind: str, subject: str, body: str) -> Preview:
    """``subject`` and ``body`` rendered over ``kind``'s sample data, or the problem that
    stops them (with its field and line)."""
    if kind not in DEFAULT_TEXTS:
        return Preview(problem=_("Choose the kind of message."))
    for text, label in ((subject, _("Subject")), (body, _("Body"))):
        problem = template_problem(text, label)
        if problem:
            return Preview(problem=problem)
    context = sample_context(kind)
    try:
        rendered_subject = " ".join(render_text(subject, context).split())
        rendered_text = render_text(body, context)
    except TemplateProblem as problem:
        return Preview(problem=str(problem))
    return Preview(subject=rendered_subject, text=rendered_text)


# --- Company defaults ---------------------------------------------------------------------


def kind_settings_ensure() -> int:
    """One ``KindSetting`` per kind (the kind's own default channels where none was saved), so
    the company-defaults list shows every kind. Returns how many were written."""
    existing = set(KindSetting.objects.values_list("kind", flat=True))
    rows = [
        KindSetting(kind=kind, **{channel: channel in spec.channels for channel in Channel.values})
        for kind, spec in KIND_SPECS.items()
        if kind not in existing
    ]
    KindSetting.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


# --- A person's own choice ----------------------------------------------------------------


def fixed_channels(topic: str) -> tuple[str, ...]:
    """The channels a person cannot switch off for ``topic``: in-app and e-mail when every
    kind under it is a legal notice. (Where only some are, the switch reaches the others; the
    legal ones reach them by in-app and e-mail anyway.)"""
    specs = [spec for spec in KIND_SPECS.values() if spec.topic == topic]
    if specs and all(spec.legal for spec in specs):
        return (Channel.IN_APP, Channel.EMAIL)
    return ()


def legal_kinds(topic: str | None = None) -> list[tuple[str, str]]:
    """(kind, label) of the legal notices (under ``topic``, if given)."""
    return [
        (kind, str(MessageKind(kind).label))
        for kind, spec in KIND_SPECS.items()
        if spec.legal and (topic is None or spec.topic == topic)
    ]


def preferences_table(user) -> list[dict]:
    """Every topic with each channel's state for ``user`` (their choice, else the company's
    default), whether it is fixed on, and the legal notices under it."""
    full = preferences_full(user.notification_preferences)
    rows = []
    for topic, label in NotificationTopic.choices:
        fixed = fixed_channels(topic)
        rows.append(
            {
                "topic": topic,
                "label": label,
                "legal": [kind_label for _kind, kind_label in legal_kinds(topic)],
                "channels": [
                    {
                        "channel": channel,
                        "label": channel_label,
                        "on": channel in fixed or full[topic][channel],
                        "fixed": channel in fixed,
                    }
                    for channel, channel_label in Channel.choices
                ],
            }
        )
    return rows


def notification_preferences_save(*, user, choices: dict) -> dict:
    """Save ``user``'s choice of channels per topic (``{topic: {channel: bool}}``; a topic or
    channel not named keeps what it had). A legal notice's in-app and e-mail stay on: turning
    them off is refused. Returns the saved preferences."""
    notification_preferences_validate(choices)
    for topic, channels in choices.items():
        values = channels if isinstance(channels, dict) else dict.fromkeys(Channel.values, channels)
        refused = [channel for channel in fixed_channels(topic) if values.get(channel) is False]
        if refused:
            raise ValidationError(
                _("%(topic)s: %(channels)s cannot be turned off (legal notices).")
                % {
                    "topic": NotificationTopic(topic).label,
                    "channels": ", ".join(str(Channel(channel).label) for channel in refused),
                }
            )
    with transaction.atomic():
        locked = get_user_model().objects.select_for_update().get(pk=user.pk)
        saved = {}
        for topic in NotificationTopic.values:
            old = locked.notification_preferences.get(topic)
            saved[topic] = (
                dict(old)
                if isinstance(old, dict)
                else dict.fromkeys(Channel.values, old)
                if isinstance(old, bool)
                else {}
            )
            new = choices.get(topic)
            if isinstance(new, bool):
                new = dict.fromkeys(Channel.values, new)
            for channel, on in (new or {}).items():
                saved[topic][channel] = on
            # A legal notice's fixed channels are never stored: nothing to choose there.
            saved[topic] = {
                channel: on
                for channel, on in saved[topic].items()
                if on is not None and channel not in fixed_channels(topic)
            }
            if not saved[topic]:
                del saved[topic]
        notification_preferences_validate(saved)
        locked.notification_preferences = saved
        locked.save(update_fields=["notification_preferences"])
    user.notification_preferences = saved
    return saved
