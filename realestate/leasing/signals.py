"""Signals of the leasing app, sent inside the transaction of the step (``notifications``
listens: its messages commit or roll back with the step)."""

from django.dispatch import Signal

#: The monthly rent run issued invoices: ``receivables``, a queryset of the new ones.
rent_invoices_issued = Signal()

#: A renewal took effect (activated): ``lease``, the renewal.
lease_renewed = Signal()

#: A maintenance request was made by staff or reported by its tenant: ``request``, ``by``.
maintenance_received = Signal()

#: A request's vendor was chosen or changed: ``request``.
maintenance_assigned = Signal()

#: A request was completed: ``request``.
maintenance_completed = Signal()
