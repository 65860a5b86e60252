import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def clear_login_counters():
    """Throttling counters live in the cache: start and leave every test with none."""
    cache.clear()
    yield
    cache.clear()
