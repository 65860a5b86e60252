from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "realestate.documents"
    label = "documents"
    verbose_name = "Documents"

    def ready(self):
        # Each app declares the documents it generates in its documents.py (see kinds.py).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("documents")
