import pytest
from django.utils import translation

from tests.world import without_monitoring


@pytest.fixture
def english():
    """Messages compared in English, whatever the default language."""
    with translation.override("en"):
        yield


@pytest.fixture
def world(world):
    return without_monitoring(world)
