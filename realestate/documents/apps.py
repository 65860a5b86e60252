from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "realestate.documents"
    label = "documents"
    verbose_name = "Documents"

    def ready(self):
        # Each app declares the documents it generates in its documents.py (see kinds.py).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("documents")

        from django.db.models.signals import post_migrate

        from realestate.documents.defaults import default_templates_after_migrate

        # A fresh install gets one active English template per kind (never overwritten).
        post_migrate.connect(default_templates_after_migrate, dispatch_uid="documents-defaults")
