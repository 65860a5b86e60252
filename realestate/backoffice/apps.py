from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    """What composes the domain apps into one back office: the dashboard, the sidebar, the
    search box, demo data and the benchmarks. It stands above every other app; no app
    imports it."""

    name = "realestate.backoffice"
    label = "backoffice"
    verbose_name = "Back office"

    def ready(self):
        from realestate.backoffice import search

        search.site_search_uncached()
