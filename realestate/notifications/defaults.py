"""The texts each kind of message starts with (staff edit them as ``MessageTemplate`` rows,
per channel and language; ``message_templates_ensure`` writes these where none exist).

Each kind has a subject and a body (the e-mail's, the in-app and push title and text) and a
short SMS body. Placeholders are the message's data (``Notification.context``): every kind has
``name`` (the recipient's) and ``company``; the rest are listed with the kind.
"""

from django.utils.translation import gettext_lazy as _

from realestate.notifications.choices import MessageKind as K

#: kind: (subject, body, sms, {placeholder: meaning})
DEFAULT_TEXTS: dict[str, tuple[str, str, str, dict[str, str]]] = {
    K.INSTALMENT_DUE: (
        "Instalment {{ number }} of {{ contract }} is due {{ when }}",
        "Dear {{ name }},\n\nInstalment {{ number }} of your contract {{ contract }} for "
        "{{ unit }}, {{ currency }} {{ amount }}, is due on {{ due_date }}.\n\n"
        "Thank you,\n{{ company }}",
        "{{ company }}: instalment {{ number }} of {{ contract }}, {{ currency }} {{ amount }}, "
        "due {{ due_date }}.",
        {
            "number": _("The instalment's number"),
            "contract": _("The contract's number"),
            "unit": _("The unit's code"),
            "amount": _("The amount due"),
            "currency": _("The currency"),
            "due_date": _("The due date"),
            "when": _("'in 7 days' or 'today'"),
        },
    ),
    K.RENT_INVOICE_ISSUED: (
        "Invoice {{ invoice }}: {{ currency }} {{ amount }} due {{ due_date }}",
        "Dear {{ name }},\n\nYour invoice {{ invoice }} for {{ description }}, {{ currency }} "
        "{{ amount }}, is due on {{ due_date }}. It is attached.\n\n{{ company }}",
        "{{ company }}: invoice {{ invoice }}, {{ currency }} {{ amount }}, due {{ due_date }}.",
        {
            "invoice": _("The invoice's number"),
            "description": _("What it charges"),
            "amount": _("The amount"),
            "currency": _("The currency"),
            "due_date": _("The due date"),
        },
    ),
    K.OVERDUE_REMINDER: (
        "Overdue: invoice {{ invoice }}, {{ days }} days past due",
        "Dear {{ name }},\n\nOur records show invoice {{ invoice }} ({{ description }}) of "
        "{{ currency }} {{ amount }} was due on {{ due_date }} and {{ currency }} {{ balance }} "
        "is still open, {{ days }} days later. Please pay it, or tell us if you already "
        "have.\n\n{{ company }}",
        "{{ company }}: invoice {{ invoice }} is {{ days }} days overdue, {{ currency }} "
        "{{ balance }} open.",
        {
            "invoice": _("The invoice's number"),
            "description": _("What it charges"),
            "amount": _("The amount"),
            "balance": _("What is still open"),
            "currency": _("The currency"),
            "due_date": _("The due date"),
            "days": _("Days past due (the step: 3, 10, 30...)"),
        },
    ),
    K.PAYMENT_RECEIVED: (
        "Payment received: {{ payment }}, {{ currency }} {{ amount }}",
        "Dear {{ name }},\n\nWe received your payment {{ payment }} of {{ currency }} "
        "{{ amount }} on {{ date }}. The receipt is attached.\n\nThank you,\n{{ company }}",
        "{{ company }}: payment {{ payment }} of {{ currency }} {{ amount }} received.",
        {
            "payment": _("The payment's number"),
            "amount": _("The amount"),
            "currency": _("The currency"),
            "date": _("The date received"),
        },
    ),
    K.PAYMENT_REVERSED: (
        "Payment {{ payment }} reversed",
        "Dear {{ name }},\n\nYour payment {{ payment }} of {{ currency }} {{ amount }} was "
        "reversed: {{ reason }}. The invoices it paid are open again.\n\n{{ company }}",
        "{{ company }}: payment {{ payment }} of {{ currency }} {{ amount }} was reversed.",
        {
            "payment": _("The payment's number"),
            "amount": _("The amount"),
            "currency": _("The currency"),
            "reason": _("Why it was reversed"),
        },
    ),
    K.LEASE_ENDING: (
        "Lease {{ lease }} ends in {{ days }} days",
        "Dear {{ name }},\n\nThe lease {{ lease }} of {{ unit }} ends on {{ end_date }}, in "
        "{{ days }} days. Please tell us whether it is to be renewed.\n\n{{ company }}",
        "{{ company }}: lease {{ lease }} of {{ unit }} ends {{ end_date }}.",
        {
            "lease": _("The lease's number"),
            "unit": _("The unit's code"),
            "tenant": _("The tenant's name"),
            "end_date": _("The lease's last day"),
            "days": _("Days left (the step: 90, 60, 30)"),
        },
    ),
    K.LEASE_RENEWED: (
        "Lease {{ lease }} renewed until {{ end_date }}",
        "Dear {{ name }},\n\nThe lease of {{ unit }} is renewed as {{ lease }}, from "
        "{{ start_date }} to {{ end_date }}, at {{ currency }} {{ rent }} a month.\n\n"
        "{{ company }}",
        "{{ company }}: lease of {{ unit }} renewed until {{ end_date }}.",
        {
            "lease": _("The new lease's number"),
            "unit": _("The unit's code"),
            "start_date": _("First day"),
            "end_date": _("Last day"),
            "rent": _("Monthly rent"),
            "currency": _("The currency"),
        },
    ),
    K.RESERVATION_EXPIRING: (
        "Reservation {{ reservation }} expires {{ expires_at }}",
        "Reservation {{ reservation }} of {{ unit }} for {{ client }} expires at "
        "{{ expires_at }}. Convert it to a contract or extend it before then.",
        "Reservation {{ reservation }} of {{ unit }} expires {{ expires_at }}.",
        {
            "reservation": _("The reservation's number"),
            "unit": _("The unit's code"),
            "client": _("The client's name"),
            "expires_at": _("When it expires"),
        },
    ),
    K.RESERVATION_EXPIRED: (
        "Reservation {{ reservation }} expired",
        "Reservation {{ reservation }} of {{ unit }} for {{ client }} expired; the unit is "
        "available again.",
        "Reservation {{ reservation }} of {{ unit }} expired.",
        {
            "reservation": _("The reservation's number"),
            "unit": _("The unit's code"),
            "client": _("The client's name"),
        },
    ),
    K.FOLLOW_UP_DUE: (
        "Follow up {{ lead }} today",
        "The follow-up of lead {{ lead }} ({{ client }}) is due today, {{ follow_up_on }}.",
        "Follow up lead {{ lead }} ({{ client }}) today.",
        {
            "lead": _("The lead's code"),
            "client": _("The person's name"),
            "follow_up_on": _("The follow-up date"),
        },
    ),
    K.VIEWING_TOMORROW: (
        "Viewing of {{ unit }} tomorrow at {{ time }}",
        "Dear {{ name }},\n\nThe viewing of {{ unit }} with {{ with }} is tomorrow, "
        "{{ date }} at {{ time }}.\n\n{{ company }}",
        "{{ company }}: viewing of {{ unit }} tomorrow at {{ time }}.",
        {
            "unit": _("The unit's code"),
            "date": _("The viewing's day"),
            "time": _("The viewing's time"),
            "with": _("The agent (for the client) or the client (for the agent)"),
        },
    ),
    K.MAINTENANCE_RECEIVED: (
        "Maintenance request {{ request }} received",
        "Dear {{ name }},\n\nMaintenance request {{ request }} for {{ unit }} ({{ category }}, "
        "{{ priority }}) is received: {{ description }}\n\n{{ company }}",
        "{{ company }}: maintenance request {{ request }} for {{ unit }} received.",
        {
            "request": _("The request's number"),
            "unit": _("The unit's code"),
            "category": _("Its category"),
            "priority": _("Its priority"),
            "description": _("What the tenant wrote"),
        },
    ),
    K.MAINTENANCE_ASSIGNED: (
        "Maintenance request {{ request }} assigned",
        "Dear {{ name }},\n\nMaintenance request {{ request }} for {{ unit }} is assigned to "
        "{{ assignee }}.\n\n{{ company }}",
        "{{ company }}: request {{ request }} assigned to {{ assignee }}.",
        {
            "request": _("The request's number"),
            "unit": _("The unit's code"),
            "assignee": _("Who does the work"),
        },
    ),
    K.MAINTENANCE_COMPLETED: (
        "Maintenance request {{ request }} completed",
        "Dear {{ name }},\n\nMaintenance request {{ request }} for {{ unit }} is completed."
        "\n\n{{ company }}",
        "{{ company }}: request {{ request }} for {{ unit }} completed.",
        {"request": _("The request's number"), "unit": _("The unit's code")},
    ),
    K.STATEMENT_READY: (
        "Your statement for {{ period }}",
        "Dear {{ name }},\n\nYour owner statement for {{ period }} is ready and attached: "
        "{{ currency }} {{ net_payable }} payable to you.\n\n{{ company }}",
        "{{ company }}: statement for {{ period }} ready, {{ currency }} {{ net_payable }}.",
        {
            "period": _("The statement's month"),
            "net_payable": _("The net payable to the owner"),
            "currency": _("The currency"),
        },
    ),
    K.ID_DOCUMENT_EXPIRING: (
        "{{ client }}'s identity document expires {{ expiry }}",
        "The {{ id_type }} of {{ client }} ({{ code }}) expires on {{ expiry }}. Ask for a "
        "new copy.",
        "{{ client }}'s {{ id_type }} expires {{ expiry }}.",
        {
            "client": _("The client's name"),
            "code": _("The client's code"),
            "id_type": _("The kind of document"),
            "expiry": _("Its expiry date"),
        },
    ),
}

COMMON_PLACEHOLDERS = {
    "name": _("The recipient's name"),
    "company": _("The company's name"),
}
