"""Messages about business events, written in the event's own transaction.

The services that make an event happen (a payment posted, a lease renewed, a request
completed) send a signal inside their transaction (``finance.signals``, ``leasing.signals``,
``sales.services.reservation_expired``); the receivers here (``connect``, from the app's
``ready``) write the messages: they commit or roll back with the event, and are sent after
commit by the dispatch job. The domain apps never import notifications. Each
message is keyed once per kind, step, recipient and record (``services.Message.key``): an
event repeated (a retried request, a job run twice) writes nothing new.

Every message's data (``Notification.context``) carries the placeholders
``defaults.DEFAULT_TEXTS`` lists for its kind, plus ``name`` (the recipient's) and
``company``. A staff recipient's message links to the record's admin page.

The helpers (recipients, links, the data's formats) are shared with the reminder jobs
(``reminders.py``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from realestate.notifications.choices import MessageKind as K
from realestate.notifications.services import Message, message_for, notify_many

# --- shared helpers -----------------------------------------------------------------------


def company_name() -> str:
    """The company's name as the letterhead shows it."""
    from realestate.documents.company import company_profile

    profile = company_profile()
    return profile.trade_name or profile.legal_name


def money(amount) -> str:
    return f"{Decimal(amount or 0):,.2f}"


def day(value: date | None) -> str:
    return value.isoformat() if value else ""


def moment(value: datetime | None) -> str:
    """A time as the company's clock reads it: ``2026-12-01 14:30``."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@cache
def _change_url(app_label: str, model_name: str) -> str:
    return reverse(f"admin:{app_label}_{model_name}_change", args=["__pk__"])


def admin_link(model, pk) -> str:
    """The admin change page of ``model``'s record ``pk`` (a staff recipient's link)."""
    return _change_url(model._meta.app_label, model._meta.model_name).replace("__pk__", str(pk))


def content_type_id(model) -> int:
    return ContentType.objects.get_for_model(model).pk


def staff_people(user_ids) -> dict[int, tuple[str, str]]:
    """``{user id: (name, language)}`` of the active ones among ``user_ids``."""
    from django.contrib.auth import get_user_model

    ids = sorted({pk for pk in user_ids if pk})
    found = {}
    for start in range(0, len(ids), 5000):
        rows = (
            get_user_model()
            .objects.filter(pk__in=ids[start : start + 5000], is_active=True)
            .values_list("pk", "first_name", "last_name", "username", "language")
        )
        for pk, first, last, username, language in rows:
            found[pk] = (f"{first} {last}".strip() or username, language or "en")
    return found


def leasing_managers() -> list[int]:
    """Active users in the Leasing Manager role: who hears of a unit no one manages."""
    from django.contrib.auth import get_user_model

    from realestate.accounts.roles import LEASING_MANAGER

    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=LEASING_MANAGER)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


class Managers:
    """The staff responsible for a unit's leases and maintenance: the property managers of
    its building and of its project (their grants reach the unit's leases and requests), or,
    when it has neither, every leasing manager. The leasing managers are looked up once,
    when first needed."""

    def __init__(self):
        self._fallback = None

    def of(self, building_manager_id, project_manager_id) -> list[int]:
        chosen = list(dict.fromkeys(pk for pk in (building_manager_id, project_manager_id) if pk))
        if chosen:
            return chosen
        if self._fallback is None:
            self._fallback = leasing_managers()
        return self._fallback

    def of_unit(self, unit) -> list[int]:
        building = unit.building.manager_id if unit.building_id else None
        project = unit.project.manager_id if unit.project_id else None
        return self.of(building, project)


#: A client recipient's columns, read beside a record's (``to_client``'s arguments).
CLIENT_FIELDS = (
    "client_id",
    "client__name",
    "client__portal_user_id",
    "client__portal_user__language",
)


def to_client(
    kind: str,
    *,
    client_id: int,
    name: str,
    portal_user_id: int | None,
    language: str | None,
    ct_id: int,
    object_id: int,
    context: dict,
    step: str = "",
) -> Message:
    """A message to a client (their app login, if any, gets the in-app and push)."""
    return Message(
        kind=kind,
        user_id=portal_user_id,
        client_id=client_id,
        content_type_id=ct_id,
        object_id=object_id,
        step=str(step),
        context={**context, "name": name},
        language=(language or "en") if portal_user_id else "en",
    )


def to_staff(
    kind: str,
    *,
    user_id: int,
    people: dict[int, tuple[str, str]],
    model,
    object_id: int,
    ct_id: int,
    context: dict,
    step: str = "",
) -> Message | None:
    """A message to a staff user (None when inactive or gone), linked to the record's page."""
    if user_id not in people:
        return None
    name, language = people[user_id]
    return Message(
        kind=kind,
        user_id=user_id,
        content_type_id=ct_id,
        object_id=object_id,
        step=str(step),
        context={**context, "name": name},
        link=admin_link(model, object_id),
        language=language,
    )


def _client_message(kind: str, client, record, context: dict, step: str = "") -> Message:
    return message_for(
        kind, record=record, client=client, step=step, context={**context, "name": client.name}
    )


def _staff_messages(kind: str, user_ids, record, context: dict, step: str = "") -> list[Message]:
    people = staff_people(user_ids)
    ct_id = content_type_id(type(record))
    found = (
        to_staff(
            kind,
            user_id=user_id,
            people=people,
            model=type(record),
            object_id=record.pk,
            ct_id=ct_id,
            context=context,
            step=step,
        )
        for user_id in dict.fromkeys(user_ids)
    )
    return [message for message in found if message is not None]


# --- money ----------------------------------------------------------------------------------


def rent_invoices_issued(receivables) -> int:
    """Each new rent invoice in ``receivables`` (a queryset) to its tenant, the invoice's
    PDF attached by the dispatch. Set-based: one query for the rows, inserts in bulk."""
    company = company_name()
    ct_id = content_type_id(receivables.model)
    rows = receivables.order_by().values_list(
        "pk",
        "number",
        "description",
        "amount",
        "currency",
        "due_date",
        *CLIENT_FIELDS,
    )
    messages = (
        to_client(
            K.RENT_INVOICE_ISSUED,
            client_id=client_id,
            name=name,
            portal_user_id=portal_user_id,
            language=language,
            ct_id=ct_id,
            object_id=pk,
            context={
                "invoice": number,
                "description": description,
                "amount": money(amount),
                "currency": currency,
                "due_date": day(due_date),
                "company": company,
            },
        )
        for (
            pk,
            number,
            description,
            amount,
            currency,
            due_date,
            client_id,
            name,
            portal_user_id,
            language,
        ) in rows.iterator(chunk_size=5000)
    )
    return notify_many(messages, records_new=True)


def payment_received(payment) -> int:
    """The payer's receipt (attached by the dispatch) for a posted payment."""
    context = {
        "payment": payment.number,
        "amount": money(payment.amount),
        "currency": payment.currency,
        "date": day(payment.received_on),
        "company": company_name(),
    }
    return notify_many([_client_message(K.PAYMENT_RECEIVED, payment.client, payment, context)])


def payment_reversed(payment, reason: str) -> int:
    """A legal notice to the payer: the payment is reversed, what it paid is due again."""
    context = {
        "payment": payment.number,
        "amount": money(payment.amount),
        "currency": payment.currency,
        "reason": reason,
        "company": company_name(),
    }
    return notify_many([_client_message(K.PAYMENT_REVERSED, payment.client, payment, context)])


def statement_ready(statement) -> int:
    """The owner's statement for the month, its PDF attached by the dispatch."""
    context = {
        "period": statement.period_start.strftime("%B %Y"),
        "net_payable": money(statement.net_payable),
        "currency": statement.currency,
        "company": company_name(),
    }
    return notify_many([_client_message(K.STATEMENT_READY, statement.owner, statement, context)])


# --- leasing --------------------------------------------------------------------------------


def lease_renewed(lease) -> int:
    """A renewal took effect (activated): to the tenant and the unit's leasing manager."""
    unit = lease.unit
    context = {
        "lease": lease.number,
        "unit": unit.code,
        "start_date": day(lease.start_date),
        "end_date": day(lease.end_date),
        "rent": money(lease.monthly_rent),
        "currency": lease.currency,
        "company": company_name(),
    }
    messages = [_client_message(K.LEASE_RENEWED, lease.tenant, lease, context)]
    messages += _staff_messages(K.LEASE_RENEWED, Managers().of_unit(unit), lease, context)
    return notify_many(messages)


def _maintenance_context(request) -> dict:
    return {
        "request": request.number,
        "unit": request.unit.code,
        "company": company_name(),
    }


def _maintenance_tenant(request):
    if request.lease_id:
        return request.lease.tenant
    return request.reported_by_client


def maintenance_received(request, by=None) -> int:
    """A new request: to its tenant, and to the staff responsible for the unit (the property
    manager of its building or project, else the leasing managers), not to whoever filed it."""
    context = {
        **_maintenance_context(request),
        "category": str(request.get_category_display()),
        "priority": str(request.get_priority_display()),
        "description": request.description or request.title,
    }
    messages = []
    tenant = _maintenance_tenant(request)
    if tenant is not None:
        messages.append(_client_message(K.MAINTENANCE_RECEIVED, tenant, request, context))
    staff = [pk for pk in Managers().of_unit(request.unit) if by is None or pk != by.pk]
    messages += _staff_messages(K.MAINTENANCE_RECEIVED, staff, request, context)
    return notify_many(messages)


def maintenance_assigned(request) -> int:
    """The request's vendor is chosen (or changed): to its tenant. Once per vendor."""
    tenant = _maintenance_tenant(request)
    if tenant is None or not request.vendor_id:
        return 0
    context = {**_maintenance_context(request), "assignee": request.vendor.name}
    message = _client_message(
        K.MAINTENANCE_ASSIGNED, tenant, request, context, step=f"vendor-{request.vendor_id}"
    )
    return notify_many([message])


def maintenance_completed(request) -> int:
    """The work is done: to its tenant (once, however often it is completed again)."""
    tenant = _maintenance_tenant(request)
    if tenant is None:
        return 0
    message = _client_message(
        K.MAINTENANCE_COMPLETED, tenant, request, _maintenance_context(request)
    )
    return notify_many([message])


# --- sales ----------------------------------------------------------------------------------


def reservation_expired(reservation) -> int:
    """The reservation lapsed and the unit is free again: to its agent."""
    if not reservation.agent_id:
        return 0
    context = {
        "reservation": reservation.number,
        "unit": reservation.unit.code,
        "client": reservation.client.name,
        "company": company_name(),
    }
    return notify_many(
        _staff_messages(K.RESERVATION_EXPIRED, [reservation.agent_id], reservation, context)
    )


# --- the receivers ----------------------------------------------------------------------------


def _on_payment_posted(sender, payment, notify=True, **kwargs):
    if notify:
        payment_received(payment)


def _on_payment_reversed(sender, payment, reason, **kwargs):
    payment_reversed(payment, reason)


def _on_statement(sender, statement, **kwargs):
    statement_ready(statement)


def _on_rent_invoices(sender, receivables, **kwargs):
    rent_invoices_issued(receivables)


def _on_lease_renewed(sender, lease, **kwargs):
    lease_renewed(lease)


def _on_maintenance_received(sender, request, by=None, **kwargs):
    maintenance_received(request, by=by)


def _on_maintenance_assigned(sender, request, **kwargs):
    maintenance_assigned(request)


def _on_maintenance_completed(sender, request, **kwargs):
    maintenance_completed(request)


def _on_reservation_expired(sender, reservation, **kwargs):
    reservation_expired(reservation)


def connect() -> None:
    """Listen to the domain apps' signals (called once, from ``NotificationsConfig.ready``)."""
    from realestate.finance import signals as finance
    from realestate.leasing import signals as leasing
    from realestate.sales import services as sales

    for signal, receiver in (
        (finance.payment_posted, _on_payment_posted),
        (finance.payment_reversed, _on_payment_reversed),
        (finance.owner_statement_generated, _on_statement),
        (leasing.rent_invoices_issued, _on_rent_invoices),
        (leasing.lease_renewed, _on_lease_renewed),
        (leasing.maintenance_received, _on_maintenance_received),
        (leasing.maintenance_assigned, _on_maintenance_assigned),
        (leasing.maintenance_completed, _on_maintenance_completed),
        (sales.reservation_expired, _on_reservation_expired),
    ):
        signal.connect(receiver, dispatch_uid=f"notifications-{receiver.__name__}")
