"""Signals of the money app."""

from django.dispatch import Signal

#: Sent after allocations change receivables: ``receivable_ids`` of the touched receivables.
receivables_settled = Signal()

#: Sent in the transaction that posts a payment (``payment``); ``notify`` is False for history
#: brought from a former system (its payers had their receipts then).
payment_posted = Signal()

#: Sent in the transaction that reverses a payment (``payment``, ``reason``).
payment_reversed = Signal()

#: Sent when an owner's statement is generated, or generated again (``statement``).
owner_statement_generated = Signal()
