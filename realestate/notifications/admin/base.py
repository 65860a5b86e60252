"""What the notifications' admins share."""

from unfold.admin import ModelAdmin

from realestate.core.admin import ListExportMixin, MissingIs404Mixin


class NotificationSetupAdmin(MissingIs404Mixin, ListExportMixin, ModelAdmin):
    """Company-wide set-up rows (templates, default channels, the delivery log): whoever holds
    the model's permission reaches every row, so they take no grants by record; every list
    exports its ``export_columns``."""

    list_per_page = 50
    list_filter_submit = True
    warn_unsaved_form = True
    show_full_result_count = False
