import pytest

from tests.world import without_monitoring


@pytest.fixture
def world(world):
    return without_monitoring(world)
