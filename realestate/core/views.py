"""Operational endpoints, and the site's icon."""

import uuid
from pathlib import Path

from django.core.cache import cache
from django.db import connection
from django.http import FileResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=5)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return the value just written")
    cache.delete(key)


CHECKS = {"database": _check_database, "cache": _check_cache}


@never_cache
@require_GET
def healthz(request):
    """200 with the result of every check, or 503 naming the check that failed."""
    results = {}
    healthy = True
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception as error:  # noqa: BLE001 - any failure makes the instance unhealthy
            healthy = False
            results[name] = f"error: {error.__class__.__name__}: {error}"
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": results}, status=200 if healthy else 503
    )


FAVICON = Path(__file__).resolve().parent / "static" / "core" / "favicon.ico"


@require_GET
def favicon(request):
    """``/favicon.ico``, which browsers ask for on pages that name no icon (JSON, files)."""
    response = FileResponse(FAVICON.open("rb"), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response
