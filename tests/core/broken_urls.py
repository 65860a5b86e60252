"""The project's URLs plus views that fail, for the 500 page's tests."""

from django.urls import path

from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as project_urls


def broken(request):
    raise RuntimeError("the view failed")


urlpatterns = [path("broken/", broken), path("api/broken/", broken), *project_urls]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
