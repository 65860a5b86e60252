"""Jobs of the documents app (queued, not scheduled)."""

from realestate.documents.batches import batch_run
from realestate.documents.models import GenerationBatch


def generation_batch_run(batch_id: int) -> str:
    batch = batch_run(GenerationBatch.objects.get(pk=batch_id))
    return batch.message
