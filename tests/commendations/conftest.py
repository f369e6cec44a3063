import pytest
from django.core.cache import cache

from fangkong.commendations.models import Commendation
from tests.world import every


@pytest.fixture(autouse=True)
def no_kept_pages():
    """Each test starts with no public page kept from another test's world."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(world):
    """The test world without its commendations (tests/commendations/world_part.py, made for
    the route walker): each test here proposes its own."""
    every(Commendation).delete()
    return world
