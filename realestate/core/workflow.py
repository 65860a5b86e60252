"""Who may run each workflow step, declared once on its service.

A *step* is a service that moves a record's status or moves money: signing a contract,
approving a commission, reversing a payment. ``@step(...)`` on the service states who may run
it, and the service checks it on every call that names a user (``by=``), whichever door the
call came through: the admin, the API, an import. ``by=None`` is the system itself (scheduled
jobs, data migrations, demo seeding by a job), which runs every step.

The rule of a step:

- no ``permission``: whoever holds the *change* grant on the record (its agent, the manager
  whose branch or portfolio it is in, a role that changes every row of the model);
- ``permission="sales.approve_commission"``: only holders of that permission, which roles hold
  by design (``fixtures/roles.json``), and only on records they may see. A grant that lets
  someone see and edit a record is no authority to approve money;
- ``beneficiary``: whoever gains by the step (a commission's agent) may never run it,
  superusers included;
- ``also``: model permissions the step needs besides (converting a reservation adds a
  contract: ``sales.add_salecontract``).

Every step also leaves a trace: each history row it writes gives the step's name as its
reason, and a step run by a person writes one line to the audit log (who, what, on which
record, and the status it moved from and to).
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

#: Every step by ``"app.service_name"``: the permission matrix checks each has a rule.
STEPS: dict[str, Callable] = {}

#: The names of the steps running now, outermost first (history rows take the outermost).
_running: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar("steps", default=())


class StepRefused(PermissionDenied):
    """A user may not run a step on a record. ``out_of_scope`` when they may not even see it
    (the admin and the API answer 404 then, as for a missing record)."""

    def __init__(self, message: str, *, out_of_scope: bool = False):
        super().__init__(message)
        self.message = message
        self.out_of_scope = out_of_scope


@dataclass(frozen=True)
class Rule:
    """Who may run a step: see the module's docstring."""

    label: str
    record: str | None = None
    permission: str | None = None
    beneficiary: Callable[[models.Model], int | None] | None = None
    also: tuple[str, ...] = ()

    @property
    def scope(self) -> str:
        """The grant the record must be within: view for a permission step, else change."""
        return "view" if self.permission else "change"

    def permissions(self) -> tuple[str, ...]:
        return (*([self.permission] if self.permission else []), *self.also)

    def may_at_all(self, user) -> bool:
        """Whether ``user`` holds what the step needs on some record (buttons, bulk actions);
        the record itself is checked by ``refusal``."""
        if user is None or not user.is_active:
            return False
        return all(user.has_perm(name) for name in self.permissions())

    def refusal(self, user, record=None, in_scope: Callable[[str], bool] | None = None):
        """Why ``user`` may not run the step on ``record``, or None when they may.
        ``in_scope(action)`` answers "is the record within the user's grants?" when the
        caller knows already (the admin caches it per request)."""
        if user is None:
            return None  # the system
        label = self.label
        if not user.is_active:
            return StepRefused(_("Your account is not active."))
        if record is not None:
            if in_scope is None:
                in_scope = functools.partial(_in_scope, user, record)
            if not in_scope("view"):
                return StepRefused(_("No such record, or not one you may see."), out_of_scope=True)
            if self.scope == "change" and not in_scope("change"):
                return StepRefused(
                    _("“%(step)s” needs the right to change %(record)s, which you may only see.")
                    % {"step": label, "record": record}
                )
        missing = [name for name in self.permissions() if not user.has_perm(name)]
        if missing:
            return StepRefused(
                _(
                    "“%(step)s” needs the permission “%(permission)s”, which "
                    "your role does not give."
                )
                % {"step": label, "permission": _permission_label(missing[0])}
            )
        gains = self.beneficiary(record) if record is not None and self.beneficiary else None
        if gains is not None and gains == user.pk:
            return StepRefused(
                _(
                    "You may not run “%(step)s” on %(record)s: it benefits you. "
                    "Ask someone else to do it."
                )
                % {"step": label, "record": record}
            )
        return None

    def check(self, user, record=None) -> None:
        refusal = self.refusal(user, record)
        if refusal is not None:
            raise refusal


def _in_scope(user, record, action: str) -> bool:
    manager = type(record)._default_manager
    if not hasattr(manager, "restrict"):
        return True
    return manager.restrict(user, action).filter(pk=record.pk).exists()


@functools.cache
def _permission_labels() -> dict[str, str]:
    from django.contrib.auth.models import Permission

    rows = Permission.objects.values_list("content_type__app_label", "codename", "name")
    return {f"{app}.{codename}": name for app, codename, name in rows}


def _permission_label(name: str) -> str:
    return _permission_labels().get(name, name)


def step(
    label: str,
    *,
    record: str | None = None,
    permission: str | None = None,
    beneficiary: Callable | None = None,
    also: tuple[str, ...] = (),
    log_on: str | None = "record",
):
    """Declare a service as a workflow step with its rule (see the module's docstring).

    ``record`` names the keyword argument holding the record the step acts on (for a step
    that creates a record: the record it is made from, such as the unit of a reservation).
    ``log_on``: the record the audit-log line is written on: ``"record"``, the ``"result"``
    the service returns (a statement it generates), or None for steps that create records
    (whoever saves them logs the addition).
    """
    rule = Rule(
        label=label, record=record, permission=permission, beneficiary=beneficiary, also=tuple(also)
    )

    def decorate(service):
        @functools.wraps(service)
        def run(*args, **kwargs):
            by = kwargs.get("by")
            target = kwargs.get(record) if record else None
            if not _running.get():  # a step run by another step is authorised by that one
                rule.check(by, target)
            token = _running.set((*_running.get(), label))
            try:
                with transaction.atomic():
                    before = _status_of(target) if log_on == "record" else None
                    result = service(*args, **kwargs)
                    logged = {"record": target, "result": result}.get(log_on)
                    if by is not None and isinstance(logged, models.Model):
                        _log(by, logged, rule.label, before, kwargs)
            finally:
                _running.reset(token)
            return result

        run.rule = rule
        app = service.__module__.split(".")[1]
        STEPS[f"{app}.{service.__name__}"] = run
        return run

    return decorate


def running_step() -> str | None:
    """The step running now (the outermost when one step runs another), or None."""
    steps = _running.get()
    return steps[0] if steps else None


def _status_of(record) -> str | None:
    if record is None or record.pk is None or not hasattr(record, "status"):
        return None
    return (
        type(record)._default_manager.filter(pk=record.pk).values_list("status", flat=True).first()
    )


def _log(user, record, label: str, before: str | None, kwargs: dict) -> None:
    """One audit-log line: the step, the status it moved, and the reason given."""
    parts = [str(label)]
    after = _status_of(record)
    if before is not None and after is not None and before != after:
        field = record._meta.get_field("status")
        names = dict(field.flatchoices)
        parts.append(
            _("status %(old)s → %(new)s")
            % {"old": names.get(before, before), "new": names.get(after, after)}
        )
    if kwargs.get("reason"):
        parts.append(_("reason: %(reason)s") % {"reason": kwargs["reason"]})
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[record],
        action_flag=CHANGE,
        change_message="; ".join(parts),
        single_object=True,
    )
