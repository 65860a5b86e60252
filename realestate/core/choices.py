"""Status flows: each stateful model declares its allowed transitions once, here-shaped.

An app's ``choices.py`` defines a ``TextChoices`` status class and a ``Flow`` over it; the
app's services call ``flow.check(current, target)`` before they change a status.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError


class Flow:
    """The allowed transitions of one status field."""

    def __init__(self, choices, transitions: Mapping[str, Iterable[str]]):
        self.choices = choices
        self.transitions = {source: frozenset(targets) for source, targets in transitions.items()}

    def allowed(self, source: str) -> frozenset[str]:
        return self.transitions.get(source, frozenset())

    def can(self, source: str, target: str) -> bool:
        return target in self.allowed(source)

    def check(self, source: str, target: str) -> None:
        if not self.can(source, target):
            labels = dict(self.choices.choices)
            raise ValidationError(
                "Status cannot change from %(source)s to %(target)s.",
                code="invalid_transition",
                params={"source": labels.get(source, source), "target": labels.get(target, target)},
            )
