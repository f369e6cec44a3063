import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache():
    """The public pages are cached and rate-limited in the cache: each test starts clean."""
    cache.clear()
    yield
    cache.clear()
