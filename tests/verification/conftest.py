import pytest
from django.utils import translation


@pytest.fixture
def english():
    """Messages compared in English, whatever the default language."""
    with translation.override("en"):
        yield
