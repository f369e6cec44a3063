import pytest

from fangkong.subsidies.models import Subsidy, SubsidyRule
from tests.world import every


@pytest.fixture
def world(world):
    """The test world without its subsidies and rule (tests/subsidies/world_part.py, made for
    the route walker): each test here sets its own rule and computes its own."""
    every(Subsidy).delete()
    every(SubsidyRule).delete()
    return world
