"""Data migration helper: move a model's grants from guardian's generic tables to its
direct foreign-key tables, once those tables exist (rows stay where they were otherwise
unreadable: ``core.permissions`` reads only the direct tables of such a model)."""

from __future__ import annotations


def move_generic_grants(app_label: str, model_names: list[str]):
    def forwards(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        for model_name in model_names:
            content_type = ContentType.objects.filter(
                app_label=app_label, model=model_name.lower()
            ).first()
            if content_type is None:  # a fresh database: nothing was ever granted
                continue
            model = apps.get_model(app_label, model_name)
            for kind, owner in (("User", "user_id"), ("Group", "group_id")):
                generic = apps.get_model("guardian", f"{kind}ObjectPermission")
                direct = apps.get_model(app_label, f"{model_name}{kind}ObjectPermission")
                rows = generic.objects.filter(content_type=content_type)
                existing = set(model.objects.values_list("pk", flat=True))
                direct.objects.bulk_create(
                    [
                        direct(
                            permission_id=row.permission_id,
                            content_object_id=int(row.object_pk),
                            **{owner: getattr(row, owner)},
                        )
                        for row in rows.iterator()
                        if int(row.object_pk) in existing
                    ],
                    ignore_conflicts=True,
                    batch_size=5000,
                )
                rows.delete()

    return forwards
