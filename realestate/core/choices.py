"""Statuses, defined once: their labels, badge colours and allowed moves.

An app's ``choices.py`` defines a ``TextChoices`` class and, beside it, a ``Palette`` (labels
and colours, for a status computed from amounts, such as a receivable's) or a ``Flow`` (a
palette with allowed transitions). The app's services move a record with
``flow.apply(record, target, by)``; admin badges, buttons and filters, and the API, ask the same
object (``status_badge(field, flow)``, ``flow.forward(status)``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError

#: Badge colours by meaning (unfold's label colours), shared by every app's statuses.
GOOD, INFO, WARNING, DANGER, NEUTRAL = "success", "info", "warning", "danger", ""


class Palette:
    """The labels and badge colours of one choices class: every value has a colour."""

    def __init__(self, choices, colours: Mapping[str, str]):
        missing = set(choices.values) - set(colours)
        if missing:
            raise ValueError(f"{choices.__name__}: no colour for {sorted(missing)}")
        self.choices = choices
        self.colours = {str(value): colour for value, colour in colours.items()}

    def colour(self, value) -> str:
        return self.colours.get(value, NEUTRAL)

    def label(self, value) -> str:
        return str(dict(self.choices.choices).get(value, value))


class Flow(Palette):
    """A status field's palette and its allowed transitions."""

    def __init__(
        self,
        choices,
        transitions: Mapping[str, Iterable[str]],
        colours: Mapping[str, str],
        side: Iterable[str] = (),
    ):
        super().__init__(choices, colours)
        self.transitions = {source: frozenset(targets) for source, targets in transitions.items()}
        #: States off the main line (a lost lead): never the "next" step forward.
        self.side = frozenset(side)

    def allowed(self, source: str) -> frozenset[str]:
        return self.transitions.get(source, frozenset())

    def can(self, source: str, target: str) -> bool:
        return target in self.allowed(source)

    def forward(self, source: str) -> str | None:
        """The next state on the main line (the choices' order), or None at the end. From a
        side state, the first state it may go back to (a lost lead is reopened)."""
        order = list(self.choices.values)
        allowed = sorted((t for t in self.allowed(source) if t not in self.side), key=order.index)
        ahead = [t for t in allowed if order.index(t) > order.index(source)]
        if ahead:
            return ahead[0]
        return allowed[0] if allowed and source in self.side else None

    def apply(self, instance, target: str, by=None, **fields):
        """Move ``instance`` (a locked row) to ``target``: check the flow, set ``fields``
        alongside, save only what changed, record who did it and send ``status_changed``."""
        from realestate.core.signals import status_changed

        self.check(instance.status, target)
        source, instance.status = instance.status, target
        for name, value in fields.items():
            setattr(instance, name, value)
        if by is not None:
            instance._history_user = by
        instance.save(update_fields=["status", "updated_at", *fields])
        status_changed.send(
            sender=type(instance), instance=instance, source=source, target=target, by=by
        )
        return instance

    def check(self, source: str, target: str) -> None:
        if not self.can(source, target):
            labels = dict(self.choices.choices)
            raise ValidationError(
                "Status cannot change from %(source)s to %(target)s.",
                code="invalid_transition",
                params={"source": labels.get(source, source), "target": labels.get(target, target)},
            )
