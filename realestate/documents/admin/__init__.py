"""The documents app's admin, a module per record."""

from realestate.documents.admin.batches import GenerationBatchAdmin

__all__ = ["GenerationBatchAdmin"]
