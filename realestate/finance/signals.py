"""Signals of the money app."""

from django.dispatch import Signal

#: Sent after allocations change receivables: ``receivable_ids`` of the touched receivables.
receivables_settled = Signal()
