"""Documents in the admin, a module per record: the documents list, the upload page and the
Documents tab added to the page of every record that takes documents
(``core.admin.tab_register``); templates, the company profile and document batches."""

from realestate.documents.admin import company, templates  # noqa: F401
from realestate.documents.admin.batches import GenerationBatchAdmin
from realestate.documents.admin.documents import DocumentAdmin
from realestate.documents.admin.tab import DocumentInline, register_tabs

register_tabs()

__all__ = ["DocumentAdmin", "DocumentInline", "GenerationBatchAdmin"]
