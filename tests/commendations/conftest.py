import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def no_kept_pages():
    """Each test starts with no public page kept from another test's world."""
    cache.clear()
    yield
    cache.clear()
