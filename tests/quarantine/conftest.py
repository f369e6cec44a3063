import pytest

import tests.world
from tests.conftest import build_module_world
from tests.world import build_world

ORIGINAL = tests.world.world_parts


def own_parts():
    """Only this app's records of each grid: quarantine's tests need nobody else's, and
    building the others' for every module costs time (the walker builds them all)."""
    return [p for p in ORIGINAL() if p.__module__.startswith("tests.quarantine")]


def build_own_world():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tests.world, "world_parts", own_parts)
        return build_world()


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    yield from build_module_world(django_db_blocker, build_own_world)
