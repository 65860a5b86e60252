"""Workflow steps as admin actions, and admins whose records move only through services."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from urllib.parse import urlencode

from django.apps import apps
from django.contrib import messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action

from realestate.core.admin.base import BaseAdmin
from realestate.core.admin.forms import ServiceForm, confirm
from realestate.core.workflow import Rule


@dataclass(frozen=True)
class StepAction:
    """An admin action that runs one workflow step (a ``core.workflow.step`` service).

    Declared in an admin's ``steps = {"name": StepAction(...)}``, it becomes the detail action
    ``name`` (a button on the record's page, with its dialog) and, with ``bulk``, the list
    action ``name_selected``. The step's rule decides who sees the button and who may run it
    (403 otherwise, the record unchanged); ``when`` decides on which records it applies.

    - ``when``: the statuses it applies in, or a predicate on the record; None: always.
    - ``dialog``: ``confirm(...)``; its form's cleaned data goes to ``arguments``. Every step
      has one (a plain confirmation by default): a step runs on a POST, never on a link.
    - ``arguments(data)``: the service's keyword arguments besides the record and ``by``.
    - ``call(admin, request, record, data)``: instead of calling the service directly.
    - ``opens(result, record)``: the record whose page opens afterwards (a new contract).
    - ``done``: the success message; ``%(record)s`` is the record.
    """

    service: Callable
    label: str
    icon: str
    done: str
    when: Collection[str] | Callable[[models.Model], bool] | None = None
    dialog: dict | None = None
    arguments: Callable[[dict], dict] | None = None
    call: Callable | None = None
    opens: Callable[[object, models.Model], models.Model] | None = None
    bulk: bool = False
    bulk_label: str | None = None
    url_path: str | None = None

    @property
    def rule(self) -> Rule:
        return self.service.rule

    def applies(self, record, status_field: str = "status") -> bool:
        if self.when is None:
            return True
        if callable(self.when):
            return bool(self.when(record))
        return getattr(record, status_field) in self.when

    def run(self, model_admin, request, record, data: dict):
        if self.call is not None:
            return self.call(model_admin, request, record, data)
        extra = self.arguments(data) if self.arguments else {}
        return self.service(**{self.rule.record: record}, by=request.user, **extra)


class OfferedActionsOnlyMixin:
    """A list action the user is not offered (their role does not allow it) answers 403 when
    posted anyway, instead of Django's quiet "No action selected"."""

    def changelist_view(self, request, extra_context=None):
        chosen = request.POST.get("action", "") if request.method == "POST" else ""
        if (
            chosen
            and chosen not in self.get_actions(request)
            and chosen in {name for _func, name, _description in self._get_base_actions()}
        ):
            raise PermissionDenied(_("You may not run “%(action)s” here.") % {"action": chosen})
        return super().changelist_view(request, extra_context)


class StepActionsMixin(OfferedActionsOnlyMixin):
    """Detail and bulk actions made from ``steps`` (see ``StepAction``).

    Buttons show only where the step applies and its rule lets the user run it; a request for
    a step the user may not run answers 403 (404 for a record out of their scope) before any
    dialog, and changes nothing; a refusal by the service shows as an error message.
    """

    steps: dict[str, StepAction] = {}
    status_field = "status"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        declared = cls.__dict__.get("steps", {})
        bulk = []
        for name, step_action in declared.items():
            setattr(cls, name, _detail_step(name, step_action))
            if step_action.bulk:
                setattr(cls, f"{name}_selected", _bulk_step(name, step_action))
                bulk.append(f"{name}_selected")
        if bulk:
            cls.actions = [
                *(cls.actions or []),
                *(name for name in bulk if name not in (cls.actions or [])),
            ]

    @property
    def workflow_actions(self) -> dict[str, StepAction]:
        """The detail actions that move records (every one needs its step's rule)."""
        return self.steps

    def step_refusal(self, request, name: str, obj):
        """Why the user may not run step ``name`` on ``obj`` (None: they may)."""
        return self.steps[name].rule.refusal(
            request.user, obj, in_scope=lambda action: self._may(request, action, obj)
        )

    def get_actions_detail(self, request, object_id):
        actions = super().get_actions_detail(request, object_id)
        obj = self.get_object(request, object_id)
        prefix = f"{self.model._meta.app_label}_{self.model._meta.model_name}_"
        return [
            action
            for action in actions
            if (name := action.action_name.removeprefix(prefix)) not in self.steps
            or (
                self.steps[name].applies(obj, self.status_field)
                and self.step_refusal(request, name, obj) is None
            )
        ]

    def _step_guard(self, request, name: str, obj) -> None:
        refusal = self.step_refusal(request, name, obj)
        if refusal is not None:
            if refusal.out_of_scope:
                raise Http404(refusal.message)
            raise refusal

    def _bulk_allowed(self, request, name: str) -> bool:
        rule = self.steps[name].rule
        if rule.scope == "change" and not self._may(request, "change"):
            return False
        return rule.may_at_all(request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        for name in self.steps:
            if f"{name}_selected" in actions and not self._bulk_allowed(request, name):
                del actions[f"{name}_selected"]
        return actions

    def perform(self, request, obj, name: str, call, success: str):
        """Run ``call()`` (a service call) if step ``name`` applies to ``obj``; report the
        outcome. Returns what the service returned, or None when nothing was done."""
        self._step_guard(request, name, obj)
        if not self.steps[name].applies(obj, self.status_field):
            self.message_user(request, self.not_applicable(obj), messages.WARNING)
            return None
        try:
            result = call()
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        self.message_user(request, success, messages.SUCCESS)
        return result

    def not_applicable(self, obj) -> str:
        status = getattr(obj, f"get_{self.status_field}_display", lambda: "")()
        return _("Nothing changed: %(record)s is %(status)s.") % {
            "record": obj,
            "status": str(status).lower(),
        }

    def bulk(self, request, queryset, name: str):
        """Run step ``name`` on each selected record the user may run it on; say what was
        refused or did not apply, record by record."""
        step_action = self.steps[name]
        done = 0
        for obj in queryset:
            refusal = self.step_refusal(request, name, obj)
            if refusal is not None:
                self.message_user(request, f"{obj}: {refusal.message}", messages.ERROR)
                continue
            if not step_action.applies(obj, self.status_field):
                self.message_user(request, self.not_applicable(obj), messages.WARNING)
                continue
            try:
                with transaction.atomic():
                    step_action.run(self, request, obj, {})
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.ERROR)
        if done:
            self.message_user(
                request,
                _("%(action)s: %(count)s done.")
                % {"action": step_action.bulk_label or step_action.label, "count": done},
                messages.SUCCESS,
            )

    @staticmethod
    def go(request, url):
        """Where a (dialog) action ends: htmx follows ``HX-Redirect``, a plain POST a 302."""
        if request.headers.get("HX-Request"):
            return HttpResponse(headers={"HX-Redirect": str(url)})
        return redirect(url)

    def change_url(self, obj):
        opts = obj._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def _detail_step(name: str, step_action: StepAction):
    def run(self, request, *args, object_id=None, **kwargs):
        form = args[0] if args else None
        record = self.get_object(request, object_id)
        data = form.cleaned_data if form is not None else {}
        result = self.perform(
            request,
            record,
            name,
            lambda: step_action.run(self, request, record, data),
            step_action.done % {"record": record},
        )
        target = record
        if result is not None and step_action.opens is not None:
            target = step_action.opens(result, record) or record
        return self.go(request, self.change_url(target))

    run.__name__ = run.__qualname__ = name
    dialog = step_action.dialog or confirm(step_action.label, _("Confirm to go ahead."))
    return action(
        description=step_action.label,
        icon=step_action.icon,
        url_path=step_action.url_path or name.replace("_", "-"),
        dialog=dialog,
    )(run)


def _bulk_step(name: str, step_action: StepAction):
    def run(self, request, queryset):
        self.bulk(request, queryset, name)

    run.__name__ = run.__qualname__ = f"{name}_selected"
    return action(description=step_action.bulk_label or step_action.label, icon=step_action.icon)(
        run
    )


class RecordPaymentMixin:
    """ "Record payment" on a page whose record has invoices due (an invoice, a contract, a
    lease): the payment form opens for its client, aimed at those invoices. Shown to those
    who may post payments; ``unsettled_receivables(obj)`` says which invoices."""

    def unsettled_receivables(self, obj):
        raise NotImplementedError

    def has_record_payment_permission(self, request, object_id=None):
        payments = self.admin_site._registry.get(apps.get_model("finance", "Payment"))
        if not (payments and payments.has_add_permission(request)):
            return False
        if object_id is None:
            return True
        obj = self.get_object(request, object_id)
        return self.unsettled_receivables(obj).restrict(request.user, "view").exists()

    @action(
        description=_("Record payment"),
        url_path="record-payment",
        icon="add_card",
        permissions=["record_payment"],
    )
    def record_payment(self, request, object_id):
        obj = self.get_object(request, object_id)
        due = list(
            self.unsettled_receivables(obj)
            .restrict(request.user, "view")
            .order_by("due_date", "pk")
            .values_list("client_id", "pk")
        )
        if not due:
            self.message_user(
                request, _("Nothing is due on %(record)s.") % {"record": obj}, messages.WARNING
            )
            return redirect(self.change_url(obj))
        client = due[0][0]  # a contract's or a lease's invoices are all its client's
        invoices = ",".join(str(pk) for owner, pk in due if owner == client)
        query = urlencode({"client": client, "invoices": invoices})
        return redirect(f"{reverse('admin:finance_payment_add')}?{query}")


class WorkflowAdmin(StepActionsMixin, BaseAdmin):
    """An admin whose records move only through their services.

    - Forms that subclass ``ServiceForm`` save through the service; a POST that does not end
      with the record saved is rolled back as a whole.
    - Status moves are ``steps`` (see ``StepAction``), each allowed by its service's rule.
    """

    # --- saving through services ---------------------------------------------------------
    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.request = request  # a class built for this request alone
        return form

    def save_model(self, request, obj, form, change):
        request._workflow_saved = True
        if getattr(form, "saved_by_service", False):
            return
        if change and isinstance(form, ServiceForm):
            form.save_edited_fields(obj)
            return
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        # A record made by a workflow is worked on next: open it, where its actions are.
        if any(
            key in request.POST for key in (IS_POPUP_VAR, "_addanother", "_continue", "_saveasnew")
        ):
            return super().response_add(request, obj, post_url_continue)
        self.message_user(
            request,
            _("%(name)s “%(obj)s” was added.")
            % {"name": capfirst(obj._meta.verbose_name), "obj": obj},
            messages.SUCCESS,
        )
        return redirect(self.change_url(obj))

    def save_related(self, request, form, formsets, change):
        # The inlines were built around the form's unsaved instance; a service saves (and
        # returns) its own: the inline rows belong to that one.
        for formset in formsets:
            formset.instance = form.instance
        super().save_related(request, form, formsets, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with transaction.atomic():
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if request.method == "POST" and not getattr(request, "_workflow_saved", False):
                transaction.set_rollback(True)
        return response
